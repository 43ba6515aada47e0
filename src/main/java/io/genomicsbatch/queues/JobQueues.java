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
 * Job queues, one per {@link Settings.QueueSpec}, using their compute environments in order. A
 * RUNNABLE time limit cancels jobs that cannot be placed, so a shortage never strands them.
 */
public final class JobQueues {
    private JobQueues() {
    }

    /**
     * The reasons a job can be stuck in RUNNABLE for which AWS Batch runs time-limit actions
     * (a queue's action fires only when the job's status reason matches).
     */
    public static final List<String> STUCK_REASONS = List.of(
            "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
            "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
            "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT");

    /**
     * @param queueName    the AWS name: stable, so workflow configs can name it
     * @param environments the spec's compute environments, in its order
     */
    public record Props(String logicalName, String queueName, Settings.QueueSpec spec,
                        List<ComputeEnvironment> environments, int runnableTimeoutMinutes, Map<String, String> tags,
                        boolean protect, Resource parent) {
    }

    public static JobQueue create(Props p) {
        var orders = new ArrayList<JobQueueComputeEnvironmentOrderArgs>();
        for (var i = 0; i < p.environments().size(); i++) {
            orders.add(JobQueueComputeEnvironmentOrderArgs.builder()
                    .order(i + 1)
                    .computeEnvironment(p.environments().get(i).arn())
                    .build());
        }
        var timeLimits = STUCK_REASONS.stream()
                .map(reason -> JobQueueJobStateTimeLimitActionArgs.builder()
                        .state("RUNNABLE")
                        .action("CANCEL")
                        .reason(reason)
                        .maxTimeSeconds(p.runnableTimeoutMinutes() * 60)
                        .build())
                .toList();
        return new JobQueue(p.logicalName(), JobQueueArgs.builder()
                .name(p.queueName())
                .state("ENABLED")
                .priority(p.spec().priority())
                .computeEnvironmentOrders(orders)
                .jobStateTimeLimitActions(timeLimits)
                .tags(p.tags())
                .build(), CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build());
    }
}
