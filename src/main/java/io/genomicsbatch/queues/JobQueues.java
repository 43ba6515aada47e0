package io.genomicsbatch.queues;

import com.pulumi.aws.batch.ComputeEnvironment;
import com.pulumi.aws.batch.JobQueue;
import com.pulumi.aws.batch.JobQueueArgs;
import com.pulumi.aws.batch.inputs.JobQueueComputeEnvironmentOrderArgs;
import com.pulumi.aws.batch.inputs.JobQueueJobStateTimeLimitActionArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two job queues: default (Spot first) and high priority (On-Demand first). With spillover each
 * queue falls back to the other's compute environment; a RUNNABLE time limit cancels jobs that
 * cannot be placed, so a shortage of capacity never strands them.
 */
public final class JobQueues {

    /**
     * The reasons a job can be stuck in RUNNABLE for which AWS Batch runs time-limit actions
     * (a queue's action fires only when the job's status reason matches).
     */
    public static final List<String> STUCK_REASONS = List.of(
            "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
            "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
            "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT");

    private final JobQueue defaultQueue;
    private final JobQueue highPriorityQueue;

    /**
     * @param queueNamePrefix queue names are {@code <prefix>-default} and {@code <prefix>-high-priority}:
     *                        stable, so workflow configs can name them
     */
    public JobQueues(String name, String queueNamePrefix, Settings.Queues settings, ComputeEnvironment spot,
                     ComputeEnvironment onDemand, boolean protect, Map<String, String> tags, Resource parent) {
        var options = CustomResourceOptions.builder().parent(parent).protect(protect).build();
        defaultQueue = queue(name + "-default", queueNamePrefix + "-default", settings.defaultPriority(),
                order(spot, onDemand, settings.spillover()), settings, tags, options);
        highPriorityQueue = queue(name + "-high-priority", queueNamePrefix + "-high-priority",
                settings.highPriority(), order(onDemand, spot, settings.spillover()), settings, tags, options);
    }

    /** The queue's compute environments in order: its own first, the other one only with spillover. */
    static List<ComputeEnvironment> order(ComputeEnvironment first, ComputeEnvironment second, boolean spillover) {
        return spillover ? List.of(first, second) : List.of(first);
    }

    private static JobQueue queue(String logicalName, String queueName, int priority,
                                  List<ComputeEnvironment> environments, Settings.Queues settings,
                                  Map<String, String> tags, CustomResourceOptions options) {
        var orders = new ArrayList<JobQueueComputeEnvironmentOrderArgs>();
        for (var i = 0; i < environments.size(); i++) {
            orders.add(JobQueueComputeEnvironmentOrderArgs.builder()
                    .order(i + 1)
                    .computeEnvironment(environments.get(i).arn())
                    .build());
        }
        var timeLimits = STUCK_REASONS.stream()
                .map(reason -> JobQueueJobStateTimeLimitActionArgs.builder()
                        .state("RUNNABLE")
                        .action("CANCEL")
                        .reason(reason)
                        .maxTimeSeconds(settings.runnableTimeoutMinutes() * 60)
                        .build())
                .toList();
        return new JobQueue(logicalName, JobQueueArgs.builder()
                .name(queueName)
                .state("ENABLED")
                .priority(priority)
                .computeEnvironmentOrders(orders)
                .jobStateTimeLimitActions(timeLimits)
                .tags(tags)
                .build(), options);
    }

    public JobQueue defaultQueue() {
        return defaultQueue;
    }

    public JobQueue highPriorityQueue() {
        return highPriorityQueue;
    }
}
