package io.genomicsbatch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.genomicsbatch.engines.SpotRetries;

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

        /**
         * The architecture of the instance types ("x86_64" or "arm64"; the first entry's, since one
         * environment has one architecture), "unknown" for a type the catalog does not know.
         */
        public String architecture() {
            return instanceTypes.isEmpty() ? "unknown" : AwsFormats.architecture(instanceTypes.get(0));
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
     * Hosts without a route to the internet: interface VPC endpoints (private DNS) for every AWS service
     * hosts and jobs call, and the S3 gateway endpoint.
     *
     * @param enabled true: the endpoints are built, and settings that need the internet are refused
     */
    public record PrivateNetworking(boolean enabled) {
        /** Off: hosts reach AWS through the VPC's own routes (a NAT gateway or an internet gateway). */
        public static final PrivateNetworking NONE = new PrivateNetworking(false);
    }

    /**
     * ECR pull-through cache rules for public registries, so that hosts pull images through this account's
     * private registry (no Docker Hub rate limits; images kept in the region). Off when empty.
     *
     * @param rules one per upstream, in the order given
     */
    public record RegistryCache(List<CacheRule> rules) {
        /** No cache: the default. */
        public static final RegistryCache NONE = new RegistryCache(List.of());

        public RegistryCache {
            rules = List.copyOf(rules);
        }

        public boolean enabled() {
            return !rules.isEmpty();
        }

        public Optional<CacheRule> rule(CacheUpstream upstream) {
            return rules.stream().filter(r -> r.upstream() == upstream).findFirst();
        }
    }

    /**
     * One pull-through cache rule. Any value can be held; {@link SettingsValidator} judges it.
     *
     * @param upstream      the public registry it caches
     * @param credentialArn the Secrets Manager secret with the upstream's credentials (Docker Hub only)
     * @param prefix        the cache's ECR repository prefix; empty: {@code <environment>/<upstream>}
     */
    public record CacheRule(CacheUpstream upstream, Optional<String> credentialArn, Optional<String> prefix) {
        /**
         * The cache's ECR repository prefix: as given, or the environment's name prefix in lower case (ECR
         * takes no capitals) and the upstream, so that two stacks in one account never share a cache.
         */
        public String repositoryPrefix(String namePrefix) {
            return prefix.orElse(namePrefix.toLowerCase(java.util.Locale.ROOT) + "/" + upstream.key());
        }
    }

    /**
     * One group (a lab, a project) of a shared environment: a compute environment and a queue of its own,
     * so its hosts never exceed its cap and carry its tag ({@link ResourceTags#GROUP_TAG}).
     *
     * @param name     the group's part of AWS names and logical names, and its tag's value
     * @param maxVcpus the group's cap, vCPUs (at least 1)
     * @param spot     true: Spot hosts, false: On-Demand hosts (the CPU instance types either way)
     */
    public record Group(String name, int maxVcpus, boolean spot) {
        /** What a group entry may omit: Spot, like the default queue's first compute environment. */
        public static final boolean DEFAULT_SPOT = true;
        static final String SPEC_PREFIX = "group-";

        /**
         * The name of the group's compute environment spec and queue spec, and so the part of its AWS names:
         * {@code genomics-batch-<stack>-group-<name>}. The prefix keeps groups apart from the other specs.
         */
        public String specName() {
            return SPEC_PREFIX + name;
        }

        public CapacityType capacity() {
            return spot ? CapacityType.SPOT : CapacityType.ON_DEMAND;
        }
    }

    /**
     * Pinned AMIs: each compute environment's {@code imageIdOverride}, from an approved image or an SSM
     * parameter. Off by default, so Batch picks the image itself, as before these settings existed.
     *
     * @param pinning         true: pin every compute environment, by default to AWS's recommended
     *                        ECS-optimized Amazon Linux 2023 parameter for its architecture
     * @param amiId           an approved AMI for the CPU (Spot and On-Demand) environments
     * @param ssmParameter    an SSM parameter holding the CPU environments' AMI ID
     * @param gpuAmiId        an approved AMI for the GPU environment
     * @param gpuSsmParameter an SSM parameter holding the GPU environment's AMI ID
     */
    public record Amis(boolean pinning, Optional<String> amiId, Optional<String> ssmParameter,
                       Optional<String> gpuAmiId, Optional<String> gpuSsmParameter) {
        /** No pinning: the default. */
        public static final Amis NONE = new Amis(false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());

        /** Pinning is on with amiPinning or with any image or parameter given. */
        public boolean enabled() {
            return pinning || amiId.isPresent() || ssmParameter.isPresent() || gpuAmiId.isPresent()
                    || gpuSsmParameter.isPresent();
        }

        /** Where an environment's AMI comes from; empty when pinning is off. */
        public Optional<AmiSource> source(ComputeEnvironmentSpec ce) {
            if (!enabled()) {
                return Optional.empty();
            }
            var gpu = ce.imageType().gpu();
            var id = gpu ? gpuAmiId : amiId;
            var parameter = gpu ? gpuSsmParameter : ssmParameter;
            if (id.isPresent()) {
                return Optional.of(new AmiSource(id.get(), true, Optional.of(gpu ? ConfigKey.GPU_AMI_ID
                        : ConfigKey.AMI_ID)));
            }
            if (parameter.isPresent()) {
                return Optional.of(new AmiSource(parameter.get(), false, Optional.of(gpu
                        ? ConfigKey.GPU_AMI_SSM_PARAMETER : ConfigKey.AMI_SSM_PARAMETER)));
            }
            return Optional.of(AmiSource.recommended(ce.imageType(), ce.architecture()));
        }
    }

    /**
     * The groups, in the order written; none by default. Each group's specs are in the compute environment
     * and queue lists ({@link Lineup}); these are what the tags, outputs and engine configs name them by.
     */
    public record Groups(List<Group> list) {
        /** No groups: the default. */
        public static final Groups NONE = new Groups(List.of());

        public Groups {
            list = List.copyOf(list);
        }

        public boolean enabled() {
            return !list.isEmpty();
        }

        /** The group a compute environment or queue spec belongs to, if any. */
        public Optional<Group> bySpecName(String specName) {
            return list.stream().filter(g -> g.specName().equals(specName)).findFirst();
        }
    }

    /**
     * IAM that fits an account's rules: a permissions boundary and a path on every role the stack creates
     * (and the path on the instance profile), and roles the account team made, which the stack then does
     * not create. Any value can be held; {@link SettingsValidator} judges it.
     *
     * @param permissionsBoundaryArn a managed policy ARN, the permissions boundary of every role created
     * @param rolePath               the path of every role (and the instance profile) created; "/" is IAM's default
     * @param instanceProfileArn     the hosts' instance profile, brought with its role: no instance role or profile
     *                               is created
     * @param jobRoleArn             the role jobs run as, brought: no job role is created
     * @param headJobRoleArn         the role head jobs run as, brought: no head-job role is created
     */
    public record Iam(Optional<String> permissionsBoundaryArn, String rolePath, Optional<String> instanceProfileArn,
                      Optional<String> jobRoleArn, Optional<String> headJobRoleArn) {
        /** IAM's default path. */
        public static final String DEFAULT_PATH = "/";
        /** No boundary, IAM's default path, every role created: the default. */
        public static final Iam NONE = new Iam(Optional.empty(), DEFAULT_PATH, Optional.empty(), Optional.empty(),
                Optional.empty());

        /** Whether a role is brought (and its policies are exported instead of attached). */
        public boolean bringsRoles() {
            return instanceProfileArn.isPresent() || jobRoleArn.isPresent() || headJobRoleArn.isPresent();
        }

        /** The brought ARNs, in key order. */
        public List<String> broughtArns() {
            return java.util.stream.Stream.of(instanceProfileArn, jobRoleArn, headJobRoleArn)
                    .flatMap(Optional::stream).toList();
        }
    }

    /**
     * Fair share between groups on a queue of its own (the shared queue, {@link Lineup#SHARED_QUEUE}): an AWS
     * Batch fair-share scheduling policy. Off unless {@code fairShare} is set; the existing queues stay
     * first-in-first-out either way (AWS cannot give a first-in-first-out queue a scheduling policy).
     *
     * @param enabled            whether fairShare was set at all
     * @param shares             the share identifiers and their weights, in the order given
     * @param shareDecaySeconds  the window usage is measured over (0: AWS's default, 600 s)
     * @param computeReservation the % of the queue's vCPUs held back for shares not yet active
     */
    public record FairShare(boolean enabled, List<Share> shares, int shareDecaySeconds, int computeReservation) {
        /** Off: the default. */
        public static final FairShare NONE = new FairShare(false, List.of(), 0, 0);
        /** AWS's weight for an identifier a policy does not list, and for a share that gives none. */
        public static final double DEFAULT_WEIGHT = 1.0;

        public FairShare {
            shares = List.copyOf(shares);
        }

        /**
         * One share: jobs submitted with this identifier (or, for {@code id*}, any identifier starting with
         * {@code id}) get compute in inverse proportion to the weight.
         */
        public record Share(String id, double weight) {
            /** Whether this entry covers every identifier that starts with its stem ({@code lab*}). */
            public boolean prefix() {
                return id.endsWith("*");
            }

            /** The identifier without its trailing '*'. */
            public String stem() {
                return prefix() ? id.substring(0, id.length() - 1) : id;
            }

            /**
             * AWS's overlap: two entries cover a common identifier (a prefix entry covers every identifier
             * starting with its stem, itself included); the same identifier twice overlaps too.
             */
            public boolean overlaps(Share other) {
                return id.equals(other.id) || (prefix() && other.stem().startsWith(stem()))
                        || (other.prefix() && stem().startsWith(other.stem()));
            }
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
     * @param privateNetworking      the VPC endpoints for hosts without internet
     * @param spotRetries            Spot retries in every engine config; {@link SpotRetries#NONE}: the configs as before
     * @param registryCache          ECR pull-through cache rules for public registries
     * @param amis                   pinned AMIs ({@link Amis#NONE}: Batch picks the image)
     * @param groups                 groups with a compute environment and queue each (their specs are in the lists)
     * @param iam                    boundary and path of the roles created, and the roles brought
     * @param fairShare              fair share between groups on the shared queue; with it, {@code queues}
     *                               holds the shared queue ({@link Lineup} adds it)
     * @param sharedFileSystem       the file system every host mounts and every task sees
     */
    public record Environment(Network network, List<ComputeEnvironmentSpec> computeEnvironments,
                              List<QueueSpec> queues, int runnableTimeoutMinutes, Storage storage, Hosts hosts,
                              DataAccess data,
                              int logRetentionDays, boolean protect, Map<String, String> tags,
                              Alerts alerts, Budget budget, PrivateNetworking privateNetworking,
                              SpotRetries spotRetries, RegistryCache registryCache, Amis amis,
                              Groups groups, Iam iam,
                              FairShare fairShare, SharedFileSystem sharedFileSystem) {
        public Environment {
            computeEnvironments = List.copyOf(computeEnvironments);
            queues = List.copyOf(queues);
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }

        /** The component's API before the restricted-account and shared-environment settings: all of them off. */
        public Environment(Network network, List<ComputeEnvironmentSpec> computeEnvironments, List<QueueSpec> queues,
                           int runnableTimeoutMinutes, Storage storage, Hosts hosts, DataAccess data,
                           int logRetentionDays, boolean protect, Map<String, String> tags, Alerts alerts,
                           Budget budget) {
            this(network, computeEnvironments, queues, runnableTimeoutMinutes, storage, hosts, data, logRetentionDays,
                    protect, tags, alerts, budget, PrivateNetworking.NONE, SpotRetries.NONE, RegistryCache.NONE,
                    Amis.NONE, Groups.NONE, Iam.NONE, FairShare.NONE, SharedFileSystem.NONE);
        }

        /** Without a budget: the component's API before it existed. */
        public Environment(Network network, List<ComputeEnvironmentSpec> computeEnvironments, List<QueueSpec> queues,
                           int runnableTimeoutMinutes, Storage storage, Hosts hosts, DataAccess data,
                           int logRetentionDays, boolean protect, Map<String, String> tags, Alerts alerts) {
            this(network, computeEnvironments, queues, runnableTimeoutMinutes, storage, hosts, data, logRetentionDays,
                    protect, tags, alerts, Budget.NONE);
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
