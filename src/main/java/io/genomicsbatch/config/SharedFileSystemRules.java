package io.genomicsbatch.config;

import io.genomicsbatch.compute.UserData;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.genomicsbatch.config.ConfigKey.ALLOW_ALL_EGRESS;
import static io.genomicsbatch.config.ConfigKey.SHARED_FILE_SYSTEM;
import static io.genomicsbatch.config.ConfigKey.SHARED_FILE_SYSTEM_SECURITY_GROUP_IDS;
import static io.genomicsbatch.config.ConfigKey.SUBNET_IDS;
import static io.genomicsbatch.config.SharedFileSystemConfig.field;

/** AWS's rules for {@code sharedFileSystem}, and the hosts': each problem names the field. */
public final class SharedFileSystemRules {
    private SharedFileSystemRules() {
    }

    /** The mount path travels in the user data (counted against its budget) and in every engine config. */
    public static final int MAX_MOUNT_PATH_LENGTH = 128;
    /**
     * Paths the mount may not be at or under: the hosts' own storage (the data directory, Docker's data root,
     * the jobs' scratch and Cromwell's working disk, the AWS CLI) and system directories a mount would hide.
     */
    public static final List<String> RESERVED_PATHS = List.of("/scratch", "/cromwell_root",
            UserData.DATA_DIR.substring(0, UserData.DATA_DIR.lastIndexOf('/')), "/var", "/usr", "/etc", "/bin",
            "/sbin", "/lib", "/lib64", "/boot", "/dev", "/proc", "/sys", "/run", "/tmp", "/root");
    private static final Pattern PATH_PART = Pattern.compile("[A-Za-z0-9._-]+");
    /** EFS FileSystemId (API reference): the ID, not the ARN, because hosts mount it by its DNS name. */
    private static final Pattern EFS_ID = Pattern.compile("fs-[0-9a-f]{8,40}");
    /** FSx FileSystemId (API reference): 11-21 characters. */
    private static final Pattern FSX_ID = Pattern.compile("fs-[0-9a-f]{8,18}");
    /** FSx for Lustre MountName (API reference, LustreFileSystemConfiguration). */
    private static final Pattern MOUNT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,8}");
    /** Fields only a created FSx for Lustre file system takes. */
    private static final List<String> CREATED_LUSTRE_FIELDS = List.of("storageCapacityGiB", "deploymentType",
            "perUnitStorageThroughput", "dataRepositoryPath");

    static List<ConfigProblem> problems(Settings.Environment s) {
        var fs = s.sharedFileSystem();
        var problems = new ArrayList<ConfigProblem>();
        if (!fs.enabled()) {
            return problems;
        }
        mountPathProblem(fs.mountPath()).ifPresent(why -> problems.add(field("mountPath", fs.mountPath(), why)));
        var efs = fs.is(FileSystemType.EFS);
        var set = setFields(fs);
        if (efs) {
            set.stream().filter(f -> CREATED_LUSTRE_FIELDS.contains(f) || f.equals("mountName"))
                    .forEach(f -> problems.add(field(f, value(fs, f), "only for type fsx-lustre")));
        }
        if (fs.existingId().isPresent()) {
            var id = fs.existingId().get();
            if (!(efs ? EFS_ID : FSX_ID).matcher(id).matches()) {
                problems.add(field("existingId", id, efs ? "expected an EFS file system ID: \"fs-\" and 8-40 hex "
                        + "digits (e.g. fs-0123456789abcdef0; the ID, not the ARN: hosts mount it by its DNS name)"
                        : "expected an FSx file system ID: \"fs-\" and 8-18 hex digits (e.g. fs-0123456789abcdef0)"));
            }
            if (!efs) {
                set.stream().filter(CREATED_LUSTRE_FIELDS::contains).forEach(f -> problems.add(field(f, value(fs, f),
                        "only for a file system this stack creates (not with existingId)")));
                fs.mountName().filter(n -> !MOUNT_NAME.matcher(n).matches()).ifPresent(n -> problems.add(field(
                        "mountName", n, "expected FSx's mount name: 1-8 letters, digits, '_' or '-' (MountName in "
                                + "`aws fsx describe-file-systems`)")));
                if (fs.mountName().isEmpty()) {
                    problems.add(new ConfigProblem(List.of(SHARED_FILE_SYSTEM), SHARED_FILE_SYSTEM.fullKey()
                            + ".mountName: missing; an existing FSx for Lustre file system is mounted by its mount "
                            + "name (MountName in `aws fsx describe-file-systems`)"));
                }
            }
            if (s.network().sharedFileSystemSecurityGroupIds().isEmpty() && !s.network().allowAllEgress()) {
                problems.add(new ConfigProblem(List.of(SHARED_FILE_SYSTEM, SHARED_FILE_SYSTEM_SECURITY_GROUP_IDS),
                        SHARED_FILE_SYSTEM.fullKey() + ".existingId: got " + ConfigProblem.render(id) + " with "
                                + SHARED_FILE_SYSTEM_SECURITY_GROUP_IDS.fullKey() + " empty; the hosts could not reach "
                                + "it: list its security groups there (the hosts get egress to them) or set "
                                + ALLOW_ALL_EGRESS.fullKey()));
            }
        } else {
            if (s.network().subnetIds().isEmpty()) {
                problems.add(new ConfigProblem(List.of(SHARED_FILE_SYSTEM, SUBNET_IDS), SUBNET_IDS.fullKey()
                        + ": got []; a shared file system this stack creates needs the hosts' subnets listed ("
                        + (efs ? "an EFS mount target in each, one subnet per Availability Zone"
                        : "FSx for Lustre goes in the first") + "), or set " + SHARED_FILE_SYSTEM.fullKey()
                        + ".existingId"));
            }
            if (!efs) {
                fs.mountName().ifPresent(n -> problems.add(field("mountName", n,
                        "only with existingId: FSx assigns a created file system's mount name")));
                lustre(fs, problems);
            }
        }
        return problems;
    }

    private static void lustre(Settings.SharedFileSystem fs, List<ConfigProblem> problems) {
        var type = fs.lustreDeploymentType();
        if (!LustreDeploymentType.capacityAllowed(fs.lustreGiB())) {
            problems.add(field("storageCapacityGiB", fs.lustreGiB(), "expected " + LustreDeploymentType.SMALLEST_GIB
                    + ", " + LustreDeploymentType.STEP_GIB + " or a multiple of " + LustreDeploymentType.STEP_GIB
                    + " GiB (FSx for Lustre " + type + ", SSD)"));
        }
        var throughput = fs.perUnitStorageThroughput();
        var throughputs = "one of " + type.throughputs() + " (MB/s per TiB) for " + type;
        if (type.persistent() && throughput.isEmpty()) {
            problems.add(new ConfigProblem(List.of(SHARED_FILE_SYSTEM), SHARED_FILE_SYSTEM.fullKey()
                    + ".perUnitStorageThroughput: missing; expected " + throughputs));
        } else if (type.persistent() && !type.throughputs().contains(throughput.getAsInt())) {
            problems.add(field("perUnitStorageThroughput", throughput.getAsInt(), "expected " + throughputs));
        }
        if (!type.persistent() && throughput.isPresent()) {
            problems.add(field("perUnitStorageThroughput", throughput.getAsInt(), "only for PERSISTENT_1 and "
                    + "PERSISTENT_2: " + type + " has a fixed throughput"));
        }
        fs.dataRepositoryPath().ifPresent(path -> {
            var parsed = Settings.WorkDirectory.parse(path);
            if (parsed.isEmpty() || AwsFormats.bucketName(parsed.get().bucket()) == AwsFormats.BucketName.INVALID
                    || path.length() > 4357 || path.chars().anyMatch(c -> c < 0x20)) {
                problems.add(field("dataRepositoryPath", path, "expected s3://BUCKET or s3://BUCKET/PREFIX with a "
                        + "valid bucket name (e.g. s3://acme-genomics-reference/grch38)"));
            }
        });
    }

    /** Why a mount path is refused, if it is. */
    static Optional<String> mountPathProblem(String path) {
        var allowed = "expected an absolute path of parts of letters, digits, '.', '_' and '-' (e.g. "
                + Settings.SharedFileSystem.DEFAULT_MOUNT_PATH + "), at most " + MAX_MOUNT_PATH_LENGTH + " characters";
        if (path.length() > MAX_MOUNT_PATH_LENGTH || !path.startsWith("/") || path.equals("/")) {
            return Optional.of(allowed);
        }
        var parts = path.substring(1).split("/", -1);
        for (var part : parts) {
            if (!PATH_PART.matcher(part).matches() || part.equals(".") || part.equals("..")) {
                return Optional.of(allowed);
            }
        }
        return RESERVED_PATHS.stream().filter(r -> path.equals(r) || path.startsWith(r + "/")).findFirst()
                .map(r -> allowed + ", not at or under " + r + " (not under any of " + RESERVED_PATHS + "): the "
                        + "hosts' data storage and scratch live there, and a mount over a system directory hides it");
    }

    /** Warnings: FSx for Lustre keeps the hosts in one subnet. */
    static List<String> warnings(Settings.Environment s) {
        var fs = s.sharedFileSystem();
        if (!fs.created() || !fs.is(FileSystemType.FSX_LUSTRE) || s.network().subnetIds().isEmpty()) {
            return List.of();
        }
        return List.of(SHARED_FILE_SYSTEM.fullKey() + ".type = fsx-lustre: an FSx for Lustre file system lives in "
                + "one subnet, so the compute environments use only " + s.network().subnetIds().get(0) + " (the first"
                + " of " + SUBNET_IDS.fullKey() + ") and its Availability Zone: hosts elsewhere would pay for and "
                + "wait on cross-zone traffic; Batch cannot fall back to another zone when it lacks capacity");
    }

    private static List<String> setFields(Settings.SharedFileSystem fs) {
        var set = new ArrayList<String>();
        fs.storageCapacityGiB().ifPresent(v -> set.add("storageCapacityGiB"));
        fs.deploymentType().ifPresent(v -> set.add("deploymentType"));
        fs.perUnitStorageThroughput().ifPresent(v -> set.add("perUnitStorageThroughput"));
        fs.mountName().ifPresent(v -> set.add("mountName"));
        fs.dataRepositoryPath().ifPresent(v -> set.add("dataRepositoryPath"));
        return set;
    }

    private static Object value(Settings.SharedFileSystem fs, String field) {
        return switch (field) {
            case "storageCapacityGiB" -> fs.storageCapacityGiB().getAsInt();
            case "deploymentType" -> fs.deploymentType().orElseThrow().name();
            case "perUnitStorageThroughput" -> fs.perUnitStorageThroughput().getAsInt();
            case "mountName" -> fs.mountName().orElseThrow();
            case "dataRepositoryPath" -> fs.dataRepositoryPath().orElseThrow();
            default -> throw new IllegalArgumentException(field);
        };
    }
}
