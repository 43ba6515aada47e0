package io.genomicsbatch.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Typed, immutable settings for one environment. Build them with {@link ConfigReader} or by hand. */
public final class Settings {
    private Settings() {
    }

    /**
     * Where hosts run.
     *
     * @param vpcId     the VPC; empty: the region's default VPC
     * @param subnetIds subnets for instances, all in the VPC; empty: every subnet of the VPC
     */
    public record Network(Optional<String> vpcId, List<String> subnetIds) {
        public Network {
            subnetIds = List.copyOf(subnetIds);
        }
    }

    /**
     * One managed compute environment.
     *
     * @param type               Spot or On-Demand
     * @param minVcpus           vCPUs kept running when idle (0 scales to zero)
     * @param maxVcpus           the cap Batch scales up to (>= minVcpus, >= 1)
     * @param allocationStrategy must be one of {@link CapacityType#allowedStrategies()}
     * @param bidPercentage      Spot only: the highest price paid, as 1-100% of the On-Demand price
     */
    public record Capacity(CapacityType type, int minVcpus, int maxVcpus,
                           AllocationStrategy allocationStrategy, OptionalInt bidPercentage) {
        /** Whether AWS needs a Spot fleet role for this environment (Spot with BEST_FIT only). */
        public boolean needsSpotFleetRole() {
            return type == CapacityType.SPOT && allocationStrategy == AllocationStrategy.BEST_FIT;
        }
    }

    /**
     * The two job queues.
     *
     * @param defaultPriority        0-1000, below highPriority
     * @param highPriority           0-1000
     * @param spillover              true: each queue falls back to the other queue's compute environment
     * @param runnableTimeoutMinutes 10-1440: jobs that cannot be placed for this long are cancelled
     */
    public record Queues(int defaultPriority, int highPriority, boolean spillover, int runnableTimeoutMinutes) {
    }

    /**
     * Everything the environment is built from.
     *
     * @param instanceTypes   instance types, families or Batch categories for both compute environments
     * @param scratchVolumeGiB size of the encrypted gp3 scratch volume on each host
     * @param dataBucketNames S3 buckets the job role may read and write
     * @param protect         protect compute environments, queues and IAM from deletion
     */
    public record Environment(Network network, List<String> instanceTypes, Capacity spot, Capacity onDemand,
                              Queues queues, int scratchVolumeGiB, List<String> dataBucketNames, boolean protect) {
        public Environment {
            instanceTypes = List.copyOf(instanceTypes);
            dataBucketNames = List.copyOf(dataBucketNames);
        }
    }
}
