package io.genomicsbatch.config;

import java.util.EnumSet;
import java.util.Set;

import static io.genomicsbatch.config.AllocationStrategy.BEST_FIT;
import static io.genomicsbatch.config.AllocationStrategy.BEST_FIT_PROGRESSIVE;
import static io.genomicsbatch.config.AllocationStrategy.SPOT_CAPACITY_OPTIMIZED;
import static io.genomicsbatch.config.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED;

/** The kinds of managed EC2 capacity this environment runs on (Batch {@code computeResources.type}). */
public enum CapacityType {
    /** Spot instances: interruptible, up to 90% cheaper; the default queue's first choice. */
    SPOT("SPOT", "Spot", EnumSet.of(BEST_FIT, BEST_FIT_PROGRESSIVE, SPOT_CAPACITY_OPTIMIZED, SPOT_PRICE_CAPACITY_OPTIMIZED)),
    /** On-Demand instances: never interrupted; the high-priority and head-job queues' first choice. */
    ON_DEMAND("EC2", "On-Demand", EnumSet.of(BEST_FIT, BEST_FIT_PROGRESSIVE));

    /** A queue may not mix EC2 capacity (EC2, SPOT) with Fargate capacity; every type here is EC2. */
    public static final String EC2_FAMILY = "EC2";

    private final String batchType;
    private final String label;
    private final Set<AllocationStrategy> allowedStrategies;

    CapacityType(String batchType, String label, Set<AllocationStrategy> allowedStrategies) {
        this.batchType = batchType;
        this.label = label;
        this.allowedStrategies = allowedStrategies;
    }

    /** The value AWS Batch expects in {@code computeResources.type}. */
    public String batchType() {
        return batchType;
    }

    /** How messages name this capacity type. */
    public String label() {
        return label;
    }

    /** The capacity family a job queue must not mix (EC2 and SPOT are one family, Fargate another). */
    public String family() {
        return EC2_FAMILY;
    }

    /** The allocation strategies AWS Batch accepts for this capacity type. */
    public Set<AllocationStrategy> allowedStrategies() {
        return allowedStrategies;
    }
}
