package io.genomicsbatch.queues;

import com.pulumi.aws.batch.ComputeEnvironment;
import com.pulumi.aws.batch.JobQueue;
import com.pulumi.aws.batch.JobQueueArgs;
import com.pulumi.aws.batch.inputs.JobQueueComputeEnvironmentOrderArgs;
import com.pulumi.aws.batch.inputs.JobQueueJobStateTimeLimitActionArgs;
import com.pulumi.core.Alias;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Job queues, one per {@link Settings.QueueSpec}, using their compute environments in order. A
 * RUNNABLE time limit cancels jobs that cannot be placed: at once (600 s) when they never can be,
 * after {@code runnableTimeoutMinutes} when capacity is short, so no job blocks a queue for long.
 */
public final class JobQueues {
    private JobQueues() {
    }

    /**
     * The least time AWS Batch allows before a time-limit action (600 s): the
     * {@code MISCONFIGURATION:*} reasons are permanent (the job asks for more than any instance
     * type or the environment's cap allows), so waiting longer only blocks the jobs behind it.
     */
    public static final int MISCONFIGURATION_CANCEL_SECONDS = 600;

    /**
     * The reasons a job can be stuck at the head of a queue in RUNNABLE, for which AWS Batch runs
     * time-limit actions, and whether the reason is permanent. Only a capacity shortage may pass.
     */
    public enum StuckReason {
        INSUFFICIENT_CAPACITY("CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", false),
        COMPUTE_ENVIRONMENT_MAX_RESOURCE("MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE", true),
        JOB_RESOURCE_REQUIREMENT("MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", true);

        private final String reason;
        private final boolean permanent;

        StuckReason(String reason, boolean permanent) {
            this.reason = reason;
            this.permanent = permanent;
        }

        public String reason() {
            return reason;
        }

        /** Seconds in RUNNABLE before the job is cancelled. */
        public int cancelAfterSeconds(int runnableTimeoutMinutes) {
            return permanent ? MISCONFIGURATION_CANCEL_SECONDS : runnableTimeoutMinutes * 60;
        }
    }

    /**
     * @param aliases      the queue's earlier logical names: Pulumi aliases, so that a rename moves an
     *                     existing queue in the stack's state instead of replacing it
     * @param queueName    the AWS name: stable, so workflow configs can name it
     * @param environments the spec's compute environments, in its order
     * @param schedulingPolicyArn a fair-share scheduling policy; empty: first in, first out (a queue created
     *                     so cannot gain a policy later: AWS allows replacing a queue's policy, not adding one)
     */
    public record Props(String logicalName, List<String> aliases, String queueName, Settings.QueueSpec spec,
                        List<ComputeEnvironment> environments, int runnableTimeoutMinutes, Map<String, String> tags,
                        boolean protect, Resource parent, Optional<Output<String>> schedulingPolicyArn) {
        public Props {
            aliases = List.copyOf(aliases);
        }
    }

    /** A queue's AWS name: stable, "&lt;namePrefix&gt;-&lt;spec name&gt;", so workflow configs can name it. */
    public static String queueName(String namePrefix, Settings.QueueSpec spec) {
        return namePrefix + "-" + spec.name();
    }

    /** The queues' ARNs as AWS writes them, known before the queues exist: for policies handed to people. */
    public static List<String> queueArns(io.genomicsbatch.iam.AwsAccount a, String namePrefix,
                                         List<Settings.QueueSpec> queues) {
        var batch = "arn:" + a.partition() + ":batch:" + a.region() + ":" + a.accountId() + ":job-queue/";
        return queues.stream().map(q -> batch + queueName(namePrefix, q)).toList();
    }

    public static JobQueue create(Props p) {
        var orders = new ArrayList<JobQueueComputeEnvironmentOrderArgs>();
        for (var i = 0; i < p.environments().size(); i++) {
            orders.add(JobQueueComputeEnvironmentOrderArgs.builder()
                    .order(i + 1)
                    .computeEnvironment(p.environments().get(i).arn())
                    .build());
        }
        var timeLimits = java.util.Arrays.stream(StuckReason.values())
                .map(reason -> JobQueueJobStateTimeLimitActionArgs.builder()
                        .state("RUNNABLE")
                        .action("CANCEL")
                        .reason(reason.reason())
                        .maxTimeSeconds(reason.cancelAfterSeconds(p.runnableTimeoutMinutes()))
                        .build())
                .toList();
        var args = JobQueueArgs.builder();
        p.schedulingPolicyArn().ifPresent(args::schedulingPolicyArn);
        return new JobQueue(p.logicalName(), args
                .name(p.queueName())
                .state("ENABLED")
                .priority(p.spec().priority())
                .computeEnvironmentOrders(orders)
                .jobStateTimeLimitActions(timeLimits)
                .tags(p.tags())
                .build(), CustomResourceOptions.builder()
                .parent(p.parent())
                .protect(p.protect())
                // The name only: type and parent stay the queue's own, as they were.
                .aliases(p.aliases().stream().map(name -> Output.of(Alias.builder().name(name).build())).toList())
                .build());
    }
}
