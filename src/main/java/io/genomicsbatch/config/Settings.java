package io.genomicsbatch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Typed, immutable settings for one environment. Compute environments and queues are lists of
 * specs, so a new one is one entry in {@link Lineup}; {@link ConfigReader} builds them from stack
 * config and {@link SettingsValidator} checks them as a whole.
 */
public final class Settings {
    private Settings() {
    }

    /**
     * Where hosts run and what they may reach.
     *
     * @param vpcId                            the VPC; empty: the region's default VPC
     * @param subnetIds                        subnets for instances, all in the VPC; empty: every subnet of the VPC
     * @param sharedFileSystemSecurityGroupIds security groups of EFS / FSx for Lustre file systems the hosts mount
     * @param allowAllEgress                   true: hosts may reach any port (FTP inputs, other services)
     * @param s3GatewayEndpoint                true: an S3 gateway endpoint on the subnets' route tables
     */
    public record Network(Optional<String> vpcId, List<String> subnetIds, List<String> sharedFileSystemSecurityGroupIds,
                          boolean allowAllEgress, boolean s3GatewayEndpoint) {
        public Network {
            subnetIds = List.copyOf(subnetIds);
            sharedFileSystemSecurityGroupIds = List.copyOf(sharedFileSystemSecurityGroupIds);
        }
    }

    /**
     * One managed compute environment.
     *
     * @param name               logical name suffix and AWS name prefix part ("spot" gives the resource
     *                           {@code genomics-batch-spot} and names starting {@code genomics-batch-<stack>-spot-})
     * @param capacity           Spot or On-Demand
     * @param imageType          the AMI family; GPU families need {@link ImageType#ECS_AL2023_NVIDIA}
     * @param instanceTypes      instance types, families or Batch categories; one architecture
     * @param minVcpus           vCPUs kept running when idle (0 scales to zero)
     * @param maxVcpus           the cap Batch scales up to (>= minVcpus, >= 1)
     * @param allocationStrategy one of {@link CapacityType#allowedStrategies()}
     * @param bidPercentage      Spot only: the highest price paid, as 1-100% of the On-Demand price
     * @param keys               the stack-config keys that set each field, so messages name what a user typed
     */
    public record ComputeEnvironmentSpec(String name, CapacityType capacity, ImageType imageType,
                                         List<String> instanceTypes, int minVcpus, int maxVcpus,
                                         AllocationStrategy allocationStrategy, OptionalInt bidPercentage, Keys keys) {
        public ComputeEnvironmentSpec {
            instanceTypes = List.copyOf(instanceTypes);
        }

        /**
         * @param minVcpus      empty where the environment always scales to zero
         * @param maxVcpus      for an optional environment, 0 means "not built"
         * @param bidPercentage Spot environments only
         */
        public record Keys(ConfigKey instanceTypes, Optional<ConfigKey> minVcpus, ConfigKey maxVcpus,
                           ConfigKey allocationStrategy, Optional<ConfigKey> bidPercentage) {
        }

        /** Whether AWS needs a Spot fleet role for this environment (Spot with BEST_FIT only). */
        public boolean needsSpotFleetRole() {
            return capacity == CapacityType.SPOT && allocationStrategy == AllocationStrategy.BEST_FIT;
        }
    }

    /**
     * One job queue.
     *
     * @param name                the logical name suffix and AWS name suffix ({@code genomics-batch-<stack>-<name>})
     * @param priority            0-1000; among queues sharing a compute environment, higher is scheduled first
     * @param computeEnvironments names of the compute environments, in order (1-3)
     * @param onDemandOnly        the queue must never place a job on Spot (head jobs: a reclaim kills the run)
     * @param priorityKey         the key that sets the priority; empty for a fixed priority
     */
    public record QueueSpec(String name, int priority, List<String> computeEnvironments, boolean onDemandOnly,
                            Optional<ConfigKey> priorityKey) {
        public QueueSpec {
            computeEnvironments = List.copyOf(computeEnvironments);
        }
    }

    /**
     * The hosts' data storage (Docker's data root and /scratch) when it is EBS.
     *
     * @param initialGiB    the gp3 data volume every host starts with
     * @param iops          gp3 IOPS of each data volume
     * @param throughputMiB gp3 throughput of each data volume, MiB/s
     * @param maxGiB        the most the data storage grows to on one host
     */
    public record Storage(int initialGiB, int iops, int throughputMiB, int maxGiB) {
        /** With scratchMaxGiB 0 (the default), the data storage may grow to this many times its initial size. */
        public static final int DEFAULT_GROWTH_FACTOR = 10;

        /** The cap: {@code configured}, or {@value #DEFAULT_GROWTH_FACTOR} times the initial size for 0. */
        public static int maxGiB(int initialGiB, int configured) {
            return configured == 0 ? (int) Math.min(Integer.MAX_VALUE, (long) initialGiB * DEFAULT_GROWTH_FACTOR)
                    : configured;
        }
    }

    /**
     * How hosts provision themselves.
     *
     * @param bootTimeoutMinutes a host whose ECS agent is not released this long after boot powers
     *                           itself off (the boot watchdog), so no step can hang it, billed, forever
     * @param awsCliVersion      the AWS CLI v2 release every host installs (pinned: same settings, same hosts)
     * @param awsCliUrl          where hosts download it from (https; a mirror for hosts without internet),
     *                           always verified against the AWS CLI team's signing key
     */
    public record Hosts(int bootTimeoutMinutes, String awsCliVersion, String awsCliUrl) {
        /** The AWS CLI v2 release hosts install unless awsCliVersion says otherwise. */
        public static final String DEFAULT_AWS_CLI_VERSION = "2.36.7";
        /** AWS's own download location of the AWS CLI v2 bundles. */
        public static final String DEFAULT_AWS_CLI_URL = "https://awscli.amazonaws.com";
    }

    /**
     * What jobs may read and write, and where the workflow engines keep their work files.
     *
     * @param dataBucketNames      read and write (objects, listings, tags)
     * @param referenceBucketNames read only (public reference data such as iGenomes)
     * @param kmsKeyArns           KMS keys of SSE-KMS buckets: decrypt and generate data keys
     * @param workDirectory        the engines' work files, in one of the data buckets; empty: the engine
     *                             configs carry a placeholder and the submitter policy grants no S3 access
     */
    public record DataAccess(List<String> dataBucketNames, List<String> referenceBucketNames,
                             List<String> kmsKeyArns, Optional<WorkDirectory> workDirectory) {
        public DataAccess {
            dataBucketNames = List.copyOf(dataBucketNames);
            referenceBucketNames = List.copyOf(referenceBucketNames);
            kmsKeyArns = List.copyOf(kmsKeyArns);
        }

        /** Without a work directory: the component's API as it was before workDirectory (docs/development.md). */
        public DataAccess(List<String> dataBucketNames, List<String> referenceBucketNames, List<String> kmsKeyArns) {
            this(dataBucketNames, referenceBucketNames, kmsKeyArns, Optional.empty());
        }
    }

    /**
     * An S3 prefix for the engines' work files ({@code s3://bucket/prefix}), which engines write and delete
     * as runs go: a prefix of its own keeps them apart from the data beside them. Any value can be held;
     * {@link SettingsValidator} judges it.
     *
     * @param bucket the bucket, as written
     * @param prefix the key prefix, without leading or trailing '/'; empty when none was given
     */
    public record WorkDirectory(String bucket, String prefix) {
        private static final String SCHEME = "s3://";

        /** {@code s3://BUCKET/PREFIX}, as the engines take it. */
        public String uri() {
            return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }

        /**
         * {@code s3://BUCKET} with an optional {@code /PREFIX} (trailing '/' dropped); empty for anything
         * else, such as a bare bucket name or another scheme.
         */
        public static Optional<WorkDirectory> parse(String uri) {
            if (!uri.startsWith(SCHEME)) {
                return Optional.empty();
            }
            var rest = uri.substring(SCHEME.length());
            var slash = rest.indexOf('/');
            var bucket = slash < 0 ? rest : rest.substring(0, slash);
            var prefix = slash < 0 ? "" : rest.substring(slash + 1);
            while (prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            return bucket.isEmpty() ? Optional.empty() : Optional.of(new WorkDirectory(bucket, prefix));
        }
    }

    /**
     * Where alerts go, and whether a boot loop stops itself. Alerts are off unless an address or a
     * topic is given, so that a stack costs nothing extra by default.
     *
     * @param emails           addresses subscribed (by e-mail) to a topic this environment creates
     * @param topicArn         an existing SNS topic to publish to instead
     * @param bootLoopStop     true: repeated host provisioning failures disable the compute environments
     * @param bootLoopFailures how many provisioning failures in {@value #BOOT_LOOP_MINUTES} minutes make a boot loop
     */
    public record Alerts(List<String> emails, Optional<String> topicArn, boolean bootLoopStop, int bootLoopFailures) {
        /** The window in which provisioning failures are counted (one CloudWatch alarm period). */
        public static final int BOOT_LOOP_MINUTES = 15;
        /** No alerts, no boot-loop stop: the default. */
        public static final Alerts NONE = new Alerts(List.of(), Optional.empty(), false, 3);

        public Alerts {
            emails = List.copyOf(emails);
        }

        /** Whether notifications are configured (a topic is created or given). */
        public boolean enabled() {
            return !emails.isEmpty() || topicArn.isPresent();
        }

        /** Whether the provisioning-failure alarm exists: for notifications, the boot-loop stop, or both. */
        public boolean provisioningAlarm() {
            return enabled() || bootLoopStop;
        }
    }

    /**
     * A monthly cost budget on this environment's cost-allocation tag, and what happens as it is spent.
     *
     * @param monthlyUsd     the budget, whole US dollars a month; 0: no budget
     * @param alertPercents  notification thresholds, % of the budget, each actual and forecasted
     * @param stopPercent    at this % of actual spend a budget action denies batch:SubmitJob; 0: no stop
     * @param stopRoleNames  IAM roles the stop applies to besides the head-job role
     */
    public record Budget(int monthlyUsd, List<Integer> alertPercents, int stopPercent, List<String> stopRoleNames) {
        /** No budget: the default. */
        public static final Budget NONE = new Budget(0, List.of(80, 100), 0, List.of());

        public Budget {
            alertPercents = List.copyOf(alertPercents);
            stopRoleNames = List.copyOf(stopRoleNames);
        }

        public boolean enabled() {
            return monthlyUsd > 0;
        }

        public boolean stops() {
            return enabled() && stopPercent > 0;
        }
    }

    /**
     * A file system every host mounts at {@code mountPath} and the engine configs mount into every task:
     * created (EFS, or FSx for Lustre in one subnet) or an existing one by its ID. Off by default.
     *
     * @param type                     EFS or FSx for Lustre; empty: no shared file system (the default)
     * @param existingId               an existing file system to mount ({@code fs-...}); empty: one is created
     * @param mountPath                where hosts mount it, and tasks see it (absolute)
     * @param storageCapacityGiB       FSx for Lustre, created: its size (default {@value #DEFAULT_LUSTRE_GIB} GiB)
     * @param deploymentType           FSx for Lustre, created: default SCRATCH_2
     * @param perUnitStorageThroughput FSx for Lustre PERSISTENT_1/2, created: MB/s per TiB
     * @param mountName                FSx for Lustre, existing: its mount name (FSx assigns it)
     * @param dataRepositoryPath       FSx for Lustre, created: {@code s3://bucket/prefix} linked at its root,
     *                                 imported as it changes (a data repository association)
     */
    public record SharedFileSystem(Optional<FileSystemType> type, Optional<String> existingId, String mountPath,
                                   OptionalInt storageCapacityGiB, Optional<LustreDeploymentType> deploymentType,
                                   OptionalInt perUnitStorageThroughput, Optional<String> mountName,
                                   Optional<String> dataRepositoryPath) {
        public static final String DEFAULT_MOUNT_PATH = "/mnt/shared";
        public static final int DEFAULT_LUSTRE_GIB = 1200;
        /** No shared file system: the default. */
        public static final SharedFileSystem NONE = new SharedFileSystem(Optional.empty(), Optional.empty(),
                DEFAULT_MOUNT_PATH, OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty());

        public boolean enabled() {
            return type.isPresent();
        }

        /** Whether this environment creates the file system (else it mounts {@link #existingId}). */
        public boolean created() {
            return enabled() && existingId.isEmpty();
        }

        public boolean is(FileSystemType kind) {
            return type.filter(kind::equals).isPresent();
        }

        /** The size of a created FSx for Lustre file system. */
        public int lustreGiB() {
            return storageCapacityGiB.orElse(DEFAULT_LUSTRE_GIB);
        }

        public LustreDeploymentType lustreDeploymentType() {
            return deploymentType.orElse(LustreDeploymentType.SCRATCH_2);
        }
    }

    /**
     * Everything the environment is built from.
     *
     * @param computeEnvironments    in registration order
     * @param queues                 in registration order
     * @param runnableTimeoutMinutes jobs that cannot be placed for lack of capacity are cancelled after this long
     * @param storage                the hosts' data storage
     * @param hosts                  how hosts provision themselves
     * @param logRetentionDays       retention of the jobs' log group (0: never expire)
     * @param protect                protect compute environments, queues, IAM and the log group from deletion
     * @param tags                   the stack's tags, on every taggable resource besides the program's own
     *                               ({@link ResourceTags}), in the order given
     * @param alerts                 notifications, alarms, the dashboard and the boot-loop stop
     * @param budget                 the monthly budget and its stop
     * @param sharedFileSystem       the file system every host mounts and every task sees
     */
    public record Environment(Network network, List<ComputeEnvironmentSpec> computeEnvironments,
                              List<QueueSpec> queues, int runnableTimeoutMinutes, Storage storage, Hosts hosts,
                              DataAccess data,
                              int logRetentionDays, boolean protect, Map<String, String> tags,
                              Alerts alerts, Budget budget, SharedFileSystem sharedFileSystem) {
        public Environment {
            computeEnvironments = List.copyOf(computeEnvironments);
            queues = List.copyOf(queues);
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }

        /** Without a budget: the component's API before it existed. */
        public Environment(Network network, List<ComputeEnvironmentSpec> computeEnvironments, List<QueueSpec> queues,
                           int runnableTimeoutMinutes, Storage storage, Hosts hosts, DataAccess data,
                           int logRetentionDays, boolean protect, Map<String, String> tags, Alerts alerts) {
            this(network, computeEnvironments, queues, runnableTimeoutMinutes, storage, hosts, data, logRetentionDays,
                    protect, tags, alerts, Budget.NONE, SharedFileSystem.NONE);
        }

        /** Without stack tags or alerts: the component's API before they existed. */
        public Environment(Network network, List<ComputeEnvironmentSpec> computeEnvironments, List<QueueSpec> queues,
                           int runnableTimeoutMinutes, Storage storage, Hosts hosts, DataAccess data,
                           int logRetentionDays, boolean protect) {
            this(network, computeEnvironments, queues, runnableTimeoutMinutes, storage, hosts, data, logRetentionDays,
                    protect, Map.of(), Alerts.NONE);
        }

        public Optional<ComputeEnvironmentSpec> computeEnvironment(String name) {
            return computeEnvironments.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        public Optional<QueueSpec> queue(String name) {
            return queues.stream().filter(q -> q.name().equals(name)).findFirst();
        }
    }
}
