package io.genomicsbatch.examples.submitjobs;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.aws.batch.JobDefinition;
import com.pulumi.aws.batch.JobDefinitionArgs;
import com.pulumi.aws.batch.inputs.JobDefinitionRetryStrategyArgs;
import com.pulumi.aws.batch.inputs.JobDefinitionRetryStrategyEvaluateOnExitArgs;
import com.pulumi.aws.batch.inputs.JobDefinitionTimeoutArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.StackReference;
import com.pulumi.resources.StackReferenceArgs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers an AWS Batch job definition for one genomics step (paired-end read
 * alignment with bwa-mem2) against the queues and job role of a deployed
 * genomics-batch stack, which it reads through a StackReference.
 */
public final class App {

    static final String CONFIG_KEY = "environmentStack";

    // A pinned biocontainers tag, never "latest": reruns must use the same aligner.
    static final String IMAGE = "quay.io/biocontainers/bwa-mem2:2.2.1--he513fc3_0";
    static final int VCPUS = 4;
    // 16 GiB. The ECS agent reserves some host memory, so Batch places this on an
    // instance with more than 16 GiB (e.g. an r-family xlarge), not a 16 GiB one.
    static final int MEMORY_MIB = 16 * 1024;
    // Kills a hung attempt; generous because a 30x human genome takes hours.
    static final int TIMEOUT_SECONDS = 12 * 60 * 60;
    static final int ATTEMPTS = 3;
    // The hosts mount an encrypted scratch volume here (mode 1777).
    static final String SCRATCH = "/scratch";

    // Batch fills each "Ref::<name>" command element from submit-job --parameters.
    // They reach the script as sh's positional arguments ($1..$4), so user-supplied
    // paths are never pasted into the script text (no quoting or injection issues).
    static final List<String> PARAMETERS = List.of("reference", "reads1", "reads2", "outputDir");

    /**
     * Runs in /scratch/$AWS_BATCH_JOB_ID so concurrent jobs on one host never
     * share files, and removes that directory on exit (success, failure or a
     * Batch timeout's SIGTERM) so the shared volume does not fill up.
     */
    static final String SCRIPT = """
            set -eu
            for arg in "$@"; do
              case "$arg" in Ref::*) echo "missing job parameter: ${arg#Ref::}" >&2; exit 2 ;; esac
            done
            workdir="/scratch/${AWS_BATCH_JOB_ID:?AWS_BATCH_JOB_ID is not set}"
            mkdir -p "$workdir"
            trap 'rm -rf "$workdir"' EXIT
            trap 'exit 143' TERM INT
            cd "$workdir"
            export TMPDIR="$workdir"
            bwa-mem2 mem -t "$THREADS" "$1" "$2" "$3" > aligned.sam
            mkdir -p "$4"
            cp aligned.sam "$4/$AWS_BATCH_JOB_ID.sam"
            """;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private App() {
    }

    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    /** Reads the configuration, then builds the resources. */
    public static void stack(Context ctx) {
        define(ctx, environmentStack(ctx.config().get(CONFIG_KEY)));
    }

    /**
     * Validates the configured stack name. A fully qualified name is required
     * because a bare "dev" would silently resolve against this project's own org.
     */
    static String environmentStack(Optional<String> configured) {
        var value = configured.map(String::strip).orElse("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("Missing required configuration '" + CONFIG_KEY
                    + "': set it to the genomics-batch stack to submit to, e.g. "
                    + "`pulumi config set " + CONFIG_KEY + " acme/genomics-batch/dev`");
        }
        var parts = value.split("/", -1);
        if (parts.length != 3 || List.of(parts).stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("Configuration '" + CONFIG_KEY + "' must be a fully qualified"
                    + " stack name <org>/<project>/<stack>, e.g. acme/genomics-batch/dev; got '" + value + "'");
        }
        return value;
    }

    /** Builds the resources; separate from {@link #stack} so tests can pass the stack name. */
    static void define(Context ctx, String environmentStack) {
        var environment = new StackReference("environment",
                StackReferenceArgs.builder().name(environmentStack).build());
        // requireOutput fails the deployment if the environment stack lacks the output.
        Output<String> defaultQueueArn = environment.requireOutput("defaultJobQueueArn").applyValue(String::valueOf);
        Output<String> highPriorityQueueArn =
                environment.requireOutput("highPriorityJobQueueArn").applyValue(String::valueOf);
        Output<String> jobRoleArn = environment.requireOutput("jobRoleArn").applyValue(String::valueOf);
        // The environment's log group keeps logs for logRetentionDays, not forever like /aws/batch/job.
        Output<String> logGroup = environment.requireOutput("jobLogGroupName").applyValue(String::valueOf);

        var jobDefinition = new JobDefinition("bwa-mem2-align", JobDefinitionArgs.builder()
                .type("container")
                .platformCapabilities("EC2")
                .containerProperties(Output.tuple(jobRoleArn, logGroup)
                        .applyValue(t -> containerProperties(t.t1, t.t2)))
                .retryStrategy(JobDefinitionRetryStrategyArgs.builder()
                        .attempts(ATTEMPTS)
                        // First match wins: retry only when the host went away (a Spot
                        // reclaim reports "Host EC2 (instance i-...) terminated."); a
                        // failure of the job itself would fail again, so exit at once.
                        .evaluateOnExits(
                                JobDefinitionRetryStrategyEvaluateOnExitArgs.builder()
                                        .onStatusReason("Host EC2*").action("RETRY").build(),
                                JobDefinitionRetryStrategyEvaluateOnExitArgs.builder()
                                        .onReason("*").action("EXIT").build())
                        .build())
                .timeout(JobDefinitionTimeoutArgs.builder().attemptDurationSeconds(TIMEOUT_SECONDS).build())
                // Jobs inherit the tags, so their cost shows up per pipeline step.
                .propagateTags(true)
                .tags(Map.of("project", "genomics-batch", "step", "align"))
                .build());

        ctx.export("jobDefinitionArn", jobDefinition.arn());
        ctx.export("jobDefinitionName", jobDefinition.name());
        ctx.export("defaultJobQueueArn", defaultQueueArn);
        ctx.export("highPriorityJobQueueArn", highPriorityQueueArn);
    }

    /** The Batch containerProperties document, serialised by Gson. */
    static String containerProperties(String jobRoleArn, String logGroup) {
        var command = new ArrayList<>(List.of("sh", "-c", SCRIPT, "bwa-mem2-align"));
        PARAMETERS.forEach(name -> command.add("Ref::" + name));

        var properties = new LinkedHashMap<String, Object>();
        properties.put("image", IMAGE);
        properties.put("command", command);
        properties.put("jobRoleArn", jobRoleArn);
        properties.put("resourceRequirements", List.of(
                Map.of("type", "VCPU", "value", String.valueOf(VCPUS)),
                Map.of("type", "MEMORY", "value", String.valueOf(MEMORY_MIB))));
        // bwa-mem2 threads follow the vCPU reservation, never the host's core count.
        properties.put("environment", List.of(Map.of("name", "THREADS", "value", String.valueOf(VCPUS))));
        properties.put("volumes", List.of(Map.of("name", "scratch", "host", Map.of("sourcePath", SCRATCH))));
        properties.put("mountPoints", List.of(
                Map.of("sourceVolume", "scratch", "containerPath", SCRATCH, "readOnly", false)));
        properties.put("logConfiguration", Map.of("logDriver", "awslogs",
                "options", Map.of("awslogs-group", logGroup, "awslogs-stream-prefix", "bwa-mem2-align")));
        return GSON.toJson(properties);
    }
}
