package io.genomicsbatch.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every key of the stack config contract (namespace {@value #NAMESPACE}), with its type and
 * default. Pulumi.yaml declares the same keys with the same types and defaults (a test keeps
 * them in step) and holds the user-facing descriptions.
 */
public enum ConfigKey {
    VPC_ID("vpcId", Type.STRING, ""),
    SUBNET_IDS("subnetIds", Type.ARRAY, "[]"),
    INSTANCE_TYPES("instanceTypes", Type.ARRAY, "[\"c6i\",\"m6i\",\"r6i\",\"c6a\",\"m6a\",\"r6a\",\"c7i\",\"m7i\",\"r7i\"]"),
    SPOT_MIN_VCPUS("spotMinVcpus", Type.INTEGER, "0"),
    SPOT_MAX_VCPUS("spotMaxVcpus", Type.INTEGER, "256"),
    SPOT_BID_PERCENTAGE("spotBidPercentage", Type.INTEGER, "100"),
    SPOT_ALLOCATION_STRATEGY("spotAllocationStrategy", Type.STRING, "SPOT_CAPACITY_OPTIMIZED"),
    ON_DEMAND_MIN_VCPUS("onDemandMinVcpus", Type.INTEGER, "0"),
    ON_DEMAND_MAX_VCPUS("onDemandMaxVcpus", Type.INTEGER, "64"),
    ON_DEMAND_ALLOCATION_STRATEGY("onDemandAllocationStrategy", Type.STRING, "BEST_FIT_PROGRESSIVE"),
    DEFAULT_QUEUE_PRIORITY("defaultQueuePriority", Type.INTEGER, "1"),
    HIGH_PRIORITY_QUEUE_PRIORITY("highPriorityQueuePriority", Type.INTEGER, "1000"),
    QUEUE_SPILLOVER("queueSpillover", Type.BOOLEAN, "true"),
    RUNNABLE_TIMEOUT_MINUTES("runnableTimeoutMinutes", Type.INTEGER, "240"),
    SCRATCH_VOLUME_GIB("scratchVolumeGiB", Type.INTEGER, "100"),
    DATA_BUCKET_NAMES("dataBucketNames", Type.ARRAY, "[]"),
    PROTECT("protect", Type.BOOLEAN, "false");

    /** The project name, which is also the config namespace. */
    public static final String NAMESPACE = "genomics-batch";

    /** Config types as Pulumi.yaml spells them. */
    public enum Type {
        STRING("string"), INTEGER("integer"), BOOLEAN("boolean"), ARRAY("array");

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

    /** The default in the raw form the Pulumi CLI hands a program: strings as they are, arrays as JSON. */
    public String defaultValue() {
        return defaultValue;
    }

    public static Optional<ConfigKey> byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
