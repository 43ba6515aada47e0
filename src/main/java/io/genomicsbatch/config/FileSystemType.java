package io.genomicsbatch.config;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of shared file system the environment creates or mounts ({@code sharedFileSystem.type}). */
public enum FileSystemType {
    /** Amazon EFS, mounted over NFS 4.1 (TCP 2049). */
    EFS("efs", "nfs4"),
    /** Amazon FSx for Lustre, mounted with the Lustre client (TCP 988 and 1018-1023). */
    FSX_LUSTRE("fsx-lustre", "lustre");

    private final String configName;
    private final String mountType;

    FileSystemType(String configName, String mountType) {
        this.configName = configName;
        this.mountType = mountType;
    }

    /** As written in the stack config. */
    public String configName() {
        return configName;
    }

    /** The file system type {@code mount -t} takes on the hosts. */
    public String mountType() {
        return mountType;
    }

    public static Optional<FileSystemType> byConfigName(String name) {
        return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
    }
}
