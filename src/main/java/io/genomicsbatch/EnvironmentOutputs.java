package io.genomicsbatch;

import com.pulumi.core.Output;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack outputs other projects and workflow engines read, in their documented order: the one
 * list the component exports from, the contract test checks against, and docs/outputs.md documents.
 * Queue and compute environment outputs are named after their specs ({@code high-priority} gives
 * {@code highPriorityJobQueueArn}).
 */
public final class EnvironmentOutputs {
    private EnvironmentOutputs() {
    }

    /**
     * @param type     the Java type a StackReference consumer receives
     * @param onlyWhen empty for an output every stack has; otherwise when it exists
     */
    public record Spec(String name, Class<?> type, Optional<String> onlyWhen) {
    }

    private static final String GPU = "only when gpuMaxVcpus > 0";
    private static final String FAIR_SHARE = "only when fairShare is set";
    private static final String SHARED_FILE_SYSTEM = "only when sharedFileSystem is set";

    public static final List<Spec> CONTRACT = List.of(
            always("defaultJobQueueArn"),
            always("highPriorityJobQueueArn"),
            always("headJobQueueArn"),
            when("gpuJobQueueArn", GPU),
            when("sharedJobQueueArn", FAIR_SHARE),
            always("defaultJobQueueName"),
            always("highPriorityJobQueueName"),
            always("headJobQueueName"),
            when("gpuJobQueueName", GPU),
            when("sharedJobQueueName", FAIR_SHARE),
            always("spotComputeEnvironmentArn"),
            always("onDemandComputeEnvironmentArn"),
            when("gpuComputeEnvironmentArn", GPU),
            when("fairSharePolicyArn", FAIR_SHARE),
            always("jobRoleArn"),
            always("headJobRoleArn"),
            always("submitterPolicyArn"),
            new Spec("shareSubmitterPolicyArns", Map.class, Optional.of(FAIR_SHARE)),
            always("instanceRoleArn"),
            always("instanceProfileArn"),
            always("launchTemplateId"),
            when("gpuLaunchTemplateId", GPU),
            when("amiId", "only when AMI pinning is on"),
            when("gpuAmiId", "only when AMI pinning is on and gpuMaxVcpus > 0"),
            always("securityGroupId"),
            always("vpcId"),
            new Spec("subnetIds", List.class, Optional.empty()),
            always("jobLogGroupName"),
            when("workDirectory", "only when workDirectory is set"),
            new Spec("registryCacheImagePrefixes", Map.class, Optional.of("only when ecrPullThroughCache is set")),
            when("sharedFileSystemId", SHARED_FILE_SYSTEM),
            when("sharedFileSystemMountPath", SHARED_FILE_SYSTEM),
            always("nextflowConfig"),
            always("cromwellBackendConfig"),
            always("snakemakeArgs"),
            when("nextflowFairShareConfig", FAIR_SHARE),
            when("alertTopicArn", "only when alertEmails or alertTopicArn is set"),
            new Spec(EnvironmentOutputs.GROUPS, Map.class, Optional.of("only when groups is set")),
            new Spec(io.genomicsbatch.iam.BroughtRole.OUTPUT, Map.class,
                    Optional.of("only when instanceProfileArn, jobRoleArn or headJobRoleArn is set")));

    /** Per group, by name: a map of {@link #GROUP_FIELDS}. */
    public static final String GROUPS = "groups";
    public static final String GROUP_QUEUE_ARN = "jobQueueArn";
    public static final String GROUP_QUEUE_NAME = "jobQueueName";
    public static final String GROUP_COMPUTE_ENVIRONMENT_ARN = "computeEnvironmentArn";
    /** What each group's entry in {@link #GROUPS} holds, in order. */
    public static final List<String> GROUP_FIELDS = List.of(GROUP_QUEUE_ARN, GROUP_QUEUE_NAME,
            GROUP_COMPUTE_ENVIRONMENT_ARN, io.genomicsbatch.engines.EngineConfigs.NEXTFLOW_OUTPUT,
            io.genomicsbatch.engines.EngineConfigs.CROMWELL_OUTPUT, io.genomicsbatch.engines.EngineConfigs.SNAKEMAKE_OUTPUT);

    private static Spec always(String name) {
        return new Spec(name, String.class, Optional.empty());
    }

    private static Spec when(String name, String condition) {
        return new Spec(name, String.class, Optional.of(condition));
    }

    public static String queueArn(String queue) {
        return jobQueue(queue) + "Arn";
    }

    public static String queueName(String queue) {
        return jobQueue(queue) + "Name";
    }

    /** "default" -> "defaultJobQueue"; "head-job" -> "headJobQueue", not "headJobJobQueue". */
    private static String jobQueue(String queue) {
        var camel = camel(queue);
        return camel + (camel.endsWith("Job") ? "Queue" : "JobQueue");
    }

    public static String computeEnvironmentArn(String computeEnvironment) {
        return camel(computeEnvironment) + "ComputeEnvironmentArn";
    }

    /** "high-priority" -> "highPriority". */
    static String camel(String name) {
        var out = new StringBuilder();
        var upper = false;
        for (var c : name.toCharArray()) {
            if (c == '-' || c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** The values in contract order; a value the contract does not declare is a programming error. */
    static Map<String, Output<?>> ordered(Map<String, Output<?>> values) {
        var declared = CONTRACT.stream().map(Spec::name).toList();
        var undeclared = values.keySet().stream().filter(n -> !declared.contains(n)).toList();
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("outputs " + undeclared + " are not in EnvironmentOutputs.CONTRACT");
        }
        var ordered = new LinkedHashMap<String, Output<?>>();
        for (var name : declared) {
            if (values.containsKey(name)) {
                ordered.put(name, values.get(name));
            }
        }
        return java.util.Collections.unmodifiableMap(ordered);
    }
}
