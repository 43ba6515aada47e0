package io.genomicsbatch.config;

import java.util.List;

/**
 * The FSx for Lustre deployment types (SSD) this environment creates, with AWS's rules for each
 * (FSx API reference, CreateFileSystem StorageCapacity and LustreFileSystemConfiguration
 * PerUnitStorageThroughput). SCRATCH_1 is not offered: it cannot take a data repository association
 * and its storage cannot grow.
 */
public enum LustreDeploymentType {
    /** Not replicated: for data that can be made again; no throughput setting. */
    SCRATCH_2(List.of()),
    /** Replicated in its Availability Zone; 50, 100 or 200 MB/s per TiB. */
    PERSISTENT_1(List.of(50, 100, 200)),
    /** Replicated in its Availability Zone; 125, 250, 500 or 1000 MB/s per TiB. */
    PERSISTENT_2(List.of(125, 250, 500, 1000));

    /** Storage: 1200 GiB, 2400 GiB, then steps of 2400 GiB (every SSD deployment type here). */
    public static final int SMALLEST_GIB = 1200;
    public static final int STEP_GIB = 2400;

    private final List<Integer> throughputs;

    LustreDeploymentType(List<Integer> throughputs) {
        this.throughputs = throughputs;
    }

    /** The MB/s per TiB this type takes (perUnitStorageThroughput); empty: it takes none. */
    public List<Integer> throughputs() {
        return throughputs;
    }

    public boolean persistent() {
        return !throughputs.isEmpty();
    }

    /** Whether AWS takes this storage capacity (GiB) for the type. */
    public static boolean capacityAllowed(int gib) {
        return gib == SMALLEST_GIB || (gib > 0 && gib % STEP_GIB == 0);
    }
}
