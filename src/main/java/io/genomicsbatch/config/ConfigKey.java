package io.genomicsbatch.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every key of the stack config contract (namespace {@value #NAMESPACE}), with its type and
 * default. Pulumi.yaml declares the same keys with the same types and defaults (a test keeps
 * them in step) and holds the user-facing descriptions; docs/configuration.md's key table documents each.
 */
public enum ConfigKey {
    // Network
    VPC_ID("vpcId", Type.STRING, ""),
    SUBNET_IDS("subnetIds", Type.ARRAY, "[]"),
    SHARED_FILE_SYSTEM_SECURITY_GROUP_IDS("sharedFileSystemSecurityGroupIds", Type.ARRAY, "[]"),
    ALLOW_ALL_EGRESS("allowAllEgress", Type.BOOLEAN, "false"),
    S3_GATEWAY_ENDPOINT("s3GatewayEndpoint", Type.BOOLEAN, "false"),
    // Compute environments: CPU (Spot and On-Demand share the instance types)
    INSTANCE_TYPES("instanceTypes", Type.ARRAY, "[\"c6i\",\"m6i\",\"r6i\"]"),
    SPOT_MIN_VCPUS("spotMinVcpus", Type.INTEGER, "0"),
    SPOT_MAX_VCPUS("spotMaxVcpus", Type.INTEGER, "256"),
    SPOT_BID_PERCENTAGE("spotBidPercentage", Type.INTEGER, "100"),
    SPOT_ALLOCATION_STRATEGY("spotAllocationStrategy", Type.STRATEGY, "SPOT_CAPACITY_OPTIMIZED"),
    ON_DEMAND_MIN_VCPUS("onDemandMinVcpus", Type.INTEGER, "0"),
    ON_DEMAND_MAX_VCPUS("onDemandMaxVcpus", Type.INTEGER, "64"),
    ON_DEMAND_ALLOCATION_STRATEGY("onDemandAllocationStrategy", Type.STRATEGY, "BEST_FIT_PROGRESSIVE"),
    // Compute environment: GPU (On-Demand, its own queue)
    GPU_MAX_VCPUS("gpuMaxVcpus", Type.INTEGER, "0"),
    GPU_INSTANCE_TYPES("gpuInstanceTypes", Type.ARRAY, "[\"g5\",\"g6\",\"g6e\"]"),
    GPU_ALLOCATION_STRATEGY("gpuAllocationStrategy", Type.STRATEGY, "BEST_FIT_PROGRESSIVE"),
    // Queues
    DEFAULT_QUEUE_PRIORITY("defaultQueuePriority", Type.INTEGER, "1"),
    HIGH_PRIORITY_QUEUE_PRIORITY("highPriorityQueuePriority", Type.INTEGER, "1000"),
    GPU_QUEUE_PRIORITY("gpuQueuePriority", Type.INTEGER, "500"),
    QUEUE_SPILLOVER("queueSpillover", Type.BOOLEAN, "true"),
    RUNNABLE_TIMEOUT_MINUTES("runnableTimeoutMinutes", Type.INTEGER, "240"),
    // Host data storage
    SCRATCH_VOLUME_GIB("scratchVolumeGiB", Type.INTEGER, "100"),
    SCRATCH_VOLUME_IOPS("scratchVolumeIops", Type.INTEGER, "3000"),
    SCRATCH_VOLUME_THROUGHPUT("scratchVolumeThroughput", Type.INTEGER, "250"),
    SCRATCH_MAX_GIB("scratchMaxGiB", Type.INTEGER, "0"),
    // Host provisioning
    HOST_BOOT_TIMEOUT_MINUTES("hostBootTimeoutMinutes", Type.INTEGER, "30"),
    AWS_CLI_VERSION("awsCliVersion", Type.STRING, Settings.Hosts.DEFAULT_AWS_CLI_VERSION),
    AWS_CLI_URL("awsCliUrl", Type.STRING, Settings.Hosts.DEFAULT_AWS_CLI_URL),
    // Data access
    DATA_BUCKET_NAMES("dataBucketNames", Type.ARRAY, "[]"),
    REFERENCE_BUCKET_NAMES("referenceBucketNames", Type.ARRAY, "[\"ngi-igenomes\",\"annotation-cache\"]"),
    DATA_KMS_KEY_ARNS("dataKmsKeyArns", Type.ARRAY, "[]"),
    WORK_DIRECTORY("workDirectory", Type.STRING, ""),
    LOG_RETENTION_DAYS("logRetentionDays", Type.INTEGER, "90"),
    // Alerts
    ALERT_EMAILS("alertEmails", Type.ARRAY, "[]"),
    ALERT_TOPIC_ARN("alertTopicArn", Type.STRING, ""),
    BOOT_LOOP_STOP("bootLoopStop", Type.BOOLEAN, "false"),
    BOOT_LOOP_FAILURES("bootLoopFailures", Type.INTEGER, "3"),
    // Budget
    MONTHLY_BUDGET_USD("monthlyBudgetUsd", Type.INTEGER, "0"),
    BUDGET_ALERT_PERCENTS("budgetAlertPercents", Type.INTEGER_ARRAY, "[80,100]"),
    BUDGET_STOP_PERCENT("budgetStopPercent", Type.INTEGER, "0"),
    BUDGET_STOP_ROLE_NAMES("budgetStopRoleNames", Type.ARRAY, "[]"),
    PROTECT("protect", Type.BOOLEAN, "false"),
    // Cost allocation
    TAGS("tags", Type.OBJECT, "{}"),
    // Hosts without internet
    PRIVATE_NETWORKING("privateNetworking", Type.BOOLEAN, "false"),
    // Spot retries in every engine config
    ENGINE_SPOT_ATTEMPTS("engineSpotAttempts", Type.INTEGER, "0"),
    NEXTFLOW_ON_DEMAND_FALLBACK("nextflowOnDemandFallback", Type.BOOLEAN, "false"),
    // Registry cache
    ECR_PULL_THROUGH_CACHE("ecrPullThroughCache", Type.OBJECT_ARRAY, "[]"),
    // Approved AMIs (docs/restricted-accounts.md): off unless amiPinning or one of the four is set
    AMI_PINNING("amiPinning", Type.BOOLEAN, "false"),
    AMI_ID("amiId", Type.STRING, ""),
    AMI_SSM_PARAMETER("amiSsmParameter", Type.STRING, ""),
    GPU_AMI_ID("gpuAmiId", Type.STRING, ""),
    GPU_AMI_SSM_PARAMETER("gpuAmiSsmParameter", Type.STRING, ""),
    // Groups: a compute environment and a queue each (docs/shared-labs.md)
    GROUPS("groups", Type.OBJECT_ARRAY, "[]"),
    // IAM in restricted accounts: every role the stack creates, and the roles an account team brings
    IAM_PERMISSIONS_BOUNDARY_ARN("iamPermissionsBoundaryArn", Type.STRING, ""),
    IAM_ROLE_PATH("iamRolePath", Type.STRING, Settings.Iam.DEFAULT_PATH),
    INSTANCE_PROFILE_ARN("instanceProfileArn", Type.STRING, ""),
    JOB_ROLE_ARN("jobRoleArn", Type.STRING, ""),
    HEAD_JOB_ROLE_ARN("headJobRoleArn", Type.STRING, ""),
    // Fair share between groups (docs/shared-labs.md)
    FAIR_SHARE("fairShare", Type.STRUCTURE, "{}"),
    // Shared file system
    SHARED_FILE_SYSTEM("sharedFileSystem", Type.RECORD, "{}");

    /** The project name, which is also the config namespace. */
    public static final String NAMESPACE = "genomics-batch";

    /**
     * Config types as Pulumi.yaml spells them (INTEGER_ARRAY: an array of integers); STRATEGY is a string naming an {@link AllocationStrategy}.
     * OBJECT (a map of strings), OBJECT_ARRAY (a list of objects) and STRUCTURE (a mapping whose fields have
     * types of their own: numbers, lists of mappings) cannot be declared in Pulumi.yaml: Pulumi's project schema
     * takes string, integer, boolean and arrays of those only, so such a key is documented there in a comment and
     * defaults here. A STRUCTURE key is read by a reader of its own, which knows its fields; so is a RECORD key
     * (an object with named fields of strings and whole numbers).
     */
    public enum Type {
        STRING("string"), INTEGER("integer"), BOOLEAN("boolean"), ARRAY("array"), STRATEGY("string"),
        OBJECT("object"), INTEGER_ARRAY("array"), OBJECT_ARRAY("array"), STRUCTURE("object"),
        RECORD("object");

        /** Whether Pulumi.yaml can declare a key of this type (Pulumi's project schema). */
        public boolean declarable() {
            return this != OBJECT && this != OBJECT_ARRAY && this != STRUCTURE && this != RECORD;
        }

        private final String yamlName;

        Type(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    private final String key;
    private final Type type;
    private final String defaultValue;

    ConfigKey(String key, Type type, String defaultValue) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
    }

    /** The bare key, as used with {@code pulumi config set}. */
    public String key() {
        return key;
    }

    /** The namespaced key, as written in Pulumi.&lt;stack&gt;.yaml and in error messages. */
    public String fullKey() {
        return NAMESPACE + ":" + key;
    }

    public Type type() {
        return type;
    }

    /** The default in the raw form the Pulumi CLI hands a program: strings as they are, arrays and objects as JSON. */
    public String defaultValue() {
        return defaultValue;
    }

    public static Optional<ConfigKey> byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
