package io.genomicsbatch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.genomicsbatch.config.ConfigKey.*;

/**
 * The compute environments and queues this program builds, as data: each is one entry here, read
 * from its own stack-config keys. Resources, outputs, the plan and the docs derive from these lists.
 */
public final class Lineup {
    private Lineup() {
    }

    public static final String SPOT = "spot";
    public static final String ON_DEMAND = "on-demand";
    public static final String GPU = "gpu";

    public static final String DEFAULT_QUEUE = "default";
    public static final String HIGH_PRIORITY_QUEUE = "high-priority";
    public static final String GPU_QUEUE = "gpu";
    public static final String HEAD_JOB_QUEUE = "head-job";
    /**
     * The fair-share queue (only with fairShare): in front of the default queue's compute environments, so
     * groups share them fairly while the first-in-first-out queues stay as they are.
     */
    public static final String SHARED_QUEUE = "shared";

    /**
     * The head-job queue's fixed priority: the highest, like the high-priority queue it shares the
     * On-Demand environment with, so a run's single head job never waits behind a flood of tasks.
     */
    public static final int HEAD_JOB_QUEUE_PRIORITY = 1000;

    /** Typed config values, read (and checked for type) by {@link ConfigReader}. */
    interface Values {
        int integer(ConfigKey key);

        boolean bool(ConfigKey key);

        List<String> list(ConfigKey key);

        AllocationStrategy strategy(ConfigKey key);

        List<Settings.Group> groups(ConfigKey key);
        Settings.FairShare fairShare();
    }

    /**
     * A group queue's priority: fixed, because it is the only queue on its compute environment, where
     * priority orders nothing.
     */
    public static final int GROUP_QUEUE_PRIORITY = 1;

    static List<Settings.ComputeEnvironmentSpec> computeEnvironments(Values v) {
        var list = new ArrayList<Settings.ComputeEnvironmentSpec>();
        list.add(new Settings.ComputeEnvironmentSpec(SPOT, CapacityType.SPOT, ImageType.ECS_AL2023,
                v.list(INSTANCE_TYPES), v.integer(SPOT_MIN_VCPUS), v.integer(SPOT_MAX_VCPUS),
                v.strategy(SPOT_ALLOCATION_STRATEGY), OptionalInt.of(v.integer(SPOT_BID_PERCENTAGE)),
                new Settings.ComputeEnvironmentSpec.Keys(INSTANCE_TYPES, Optional.of(SPOT_MIN_VCPUS), SPOT_MAX_VCPUS,
                        SPOT_ALLOCATION_STRATEGY, Optional.of(SPOT_BID_PERCENTAGE))));
        list.add(new Settings.ComputeEnvironmentSpec(ON_DEMAND, CapacityType.ON_DEMAND, ImageType.ECS_AL2023,
                v.list(INSTANCE_TYPES), v.integer(ON_DEMAND_MIN_VCPUS), v.integer(ON_DEMAND_MAX_VCPUS),
                v.strategy(ON_DEMAND_ALLOCATION_STRATEGY), OptionalInt.empty(),
                new Settings.ComputeEnvironmentSpec.Keys(INSTANCE_TYPES, Optional.of(ON_DEMAND_MIN_VCPUS),
                        ON_DEMAND_MAX_VCPUS, ON_DEMAND_ALLOCATION_STRATEGY, Optional.empty())));
        if (gpuEnabled(v)) {
            list.add(new Settings.ComputeEnvironmentSpec(GPU, CapacityType.ON_DEMAND, ImageType.ECS_AL2023_NVIDIA,
                    v.list(GPU_INSTANCE_TYPES), 0, v.integer(GPU_MAX_VCPUS), v.strategy(GPU_ALLOCATION_STRATEGY),
                    OptionalInt.empty(), new Settings.ComputeEnvironmentSpec.Keys(GPU_INSTANCE_TYPES, Optional.empty(),
                    GPU_MAX_VCPUS, GPU_ALLOCATION_STRATEGY, Optional.empty())));
        }
        // Each group: the CPU instance types and the Spot or On-Demand strategy (and bid) of the shared ones,
        // scaling from zero to the group's cap.
        for (var g : v.groups(GROUPS)) {
            var strategy = g.spot() ? SPOT_ALLOCATION_STRATEGY : ON_DEMAND_ALLOCATION_STRATEGY;
            var bid = g.spot() ? Optional.of(SPOT_BID_PERCENTAGE) : Optional.<ConfigKey>empty();
            list.add(new Settings.ComputeEnvironmentSpec(g.specName(), g.capacity(), ImageType.ECS_AL2023,
                    v.list(INSTANCE_TYPES), 0, g.maxVcpus(), v.strategy(strategy),
                    bid.map(k -> OptionalInt.of(v.integer(k))).orElse(OptionalInt.empty()),
                    new Settings.ComputeEnvironmentSpec.Keys(INSTANCE_TYPES, Optional.empty(), GROUPS, strategy,
                            bid)));
        }
        return list;
    }

    static List<Settings.QueueSpec> queues(Values v) {
        var spillover = v.bool(QUEUE_SPILLOVER);
        var list = new ArrayList<Settings.QueueSpec>();
        var spotFirst = spillover ? List.of(SPOT, ON_DEMAND) : List.of(SPOT);
        list.add(new Settings.QueueSpec(DEFAULT_QUEUE, v.integer(DEFAULT_QUEUE_PRIORITY), spotFirst, false,
                Optional.of(DEFAULT_QUEUE_PRIORITY)));
        list.add(new Settings.QueueSpec(HIGH_PRIORITY_QUEUE, v.integer(HIGH_PRIORITY_QUEUE_PRIORITY),
                spillover ? List.of(ON_DEMAND, SPOT) : List.of(ON_DEMAND), false,
                Optional.of(HIGH_PRIORITY_QUEUE_PRIORITY)));
        // Workflow engines' head jobs: On-Demand only, because a Spot reclaim would end the whole run.
        list.add(new Settings.QueueSpec(HEAD_JOB_QUEUE, HEAD_JOB_QUEUE_PRIORITY, List.of(ON_DEMAND), true,
                Optional.empty()));
        if (gpuEnabled(v)) {
            // GPU jobs only: CPU jobs never start GPU hosts, and GPU jobs never wait for CPU capacity.
            list.add(new Settings.QueueSpec(GPU_QUEUE, v.integer(GPU_QUEUE_PRIORITY), List.of(GPU), false,
                    Optional.of(GPU_QUEUE_PRIORITY)));
        }
        // Each group's queue uses its own compute environment only: the cap is the group's.
        for (var g : v.groups(GROUPS)) {
            list.add(new Settings.QueueSpec(g.specName(), GROUP_QUEUE_PRIORITY, List.of(g.specName()), false,
                    Optional.empty()));
        }
        if (v.fairShare().enabled()) {
            // The default queue's environments and priority: fair share reorders jobs, never adds capacity.
            list.add(new Settings.QueueSpec(SHARED_QUEUE, v.integer(DEFAULT_QUEUE_PRIORITY), spotFirst, false,
                    Optional.of(DEFAULT_QUEUE_PRIORITY)));
        }
        return list;
    }

    /** Whether anyone who may run workflows may submit to this queue (all but the fair-share queue). */
    public static boolean openToEverySubmitter(Settings.QueueSpec queue) {
        return !queue.name().equals(SHARED_QUEUE);
    }

    /** gpuMaxVcpus 0 (the default) builds no GPU environment; a negative value is kept to be refused. */
    private static boolean gpuEnabled(Values v) {
        return v.integer(GPU_MAX_VCPUS) != 0;
    }
}
