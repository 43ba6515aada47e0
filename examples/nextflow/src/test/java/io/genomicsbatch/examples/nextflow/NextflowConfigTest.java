package io.genomicsbatch.examples.nextflow;

import io.genomicsbatch.engines.EngineConfigs;
import io.genomicsbatch.engines.EngineInputs;
import io.genomicsbatch.engines.SpotRetries;
import nextflow.config.ConfigParser;
import nextflow.exception.ProcessException;
import nextflow.processor.ErrorStrategy;
import nextflow.processor.TaskConfig;
import nextflow.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated nextflow.config, read by Nextflow's own config parser (offline, no pipeline). */
@SuppressWarnings("unchecked")
class NextflowConfigTest {

    static final String ACCOUNT = "123456789012";
    static final String QUEUES = "arn:aws:batch:eu-west-1:" + ACCOUNT + ":job-queue/";
    /** Shaped like the prod stack's outputs. */
    static final EngineInputs PROD = EngineInputs.of("genomics-batch-prod", "eu-west-1",
            "genomics-batch-prod-default", QUEUES + "genomics-batch-prod-default",
            "genomics-batch-prod-high-priority", QUEUES + "genomics-batch-prod-high-priority",
            "genomics-batch-prod-head-job", QUEUES + "genomics-batch-prod-head-job",
            "arn:aws:iam::" + ACCOUNT + ":role/genomics-batch-job-role-9f8e7d6", "/aws/batch/genomics-batch-prod");

    static Map<String, Object> parse(String text) {
        return new ConfigParser().parse(text);
    }

    static Object at(Map<String, Object> config, String... path) {
        Object current = config;
        for (var key : path) {
            assertThat(current).as(String.join(".", path)).isInstanceOf(Map.class);
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    @Test
    void awsBatchExecutorWithTheEnvironmentsQueueRoleCliScratchSpotAndLogs() {
        var config = parse(EngineConfigs.nextflowConfig(PROD));
        assertThat(at(config, "process", "executor")).isEqualTo("awsbatch");
        assertThat(at(config, "process", "queue")).isEqualTo(PROD.defaultQueueArn());
        assertThat(at(config, "process", "withLabel:" + EngineConfigs.NEXTFLOW_HIGH_PRIORITY_LABEL, "queue"))
                .isEqualTo(PROD.highPriorityQueueArn());
        assertThat(at(config, "aws", "region")).isEqualTo("eu-west-1");
        assertThat(at(config, "aws", "batch", "jobRole")).isEqualTo(PROD.jobRoleArn());
        assertThat(at(config, "aws", "batch", "cliPath")).isEqualTo("/usr/local/aws-cli/bin/aws");
        assertThat(at(config, "aws", "batch", "volumes")).isEqualTo(List.of("/scratch/tasks:/tmp"));
        assertThat(at(config, "aws", "batch", "maxSpotAttempts")).isEqualTo(5);
        assertThat(at(config, "aws", "batch", "logsGroup")).isEqualTo("/aws/batch/genomics-batch-prod");
        // Without the stack's workDirectory: a placeholder that is no bucket. Fusion is opt-in (commented out).
        assertThat(config.get("workDir")).isEqualTo(EngineConfigs.WORK_DIRECTORY_PLACEHOLDER + "/nextflow/work");
        assertThat(config).doesNotContainKeys("fusion", "wave");
    }

    @Test
    void hostsWithoutInternetGetFusionAndWaveOff() {
        var config = parse(EngineConfigs.nextflowConfig(PROD.withPrivateNetworking()));
        assertThat(at(config, "fusion", "enabled")).isEqualTo(false);
        assertThat(at(config, "wave", "enabled")).isEqualTo(false);
        assertThat(at(config, "process", "executor")).isEqualTo("awsbatch");
    }

    @Test
    void everyWorkDirectoryTheStackAcceptsIsReadAsIs() {
        // A legacy us-east-1 bucket name and every safe key character AWS lists.
        var odd = "s3://Legacy_Reads.v2/it's/(copy)/!*_-.";
        var config = parse(EngineConfigs.nextflowConfig(PROD.withWorkDir(odd)));
        assertThat(config.get("workDir")).isEqualTo(odd + "/nextflow/work");
    }

    @Test
    void gpuProcessesGoToTheGpuQueueWithOneGpuWhenTheStackHasOne() {
        assertThat((Map<String, Object>) at(parse(EngineConfigs.nextflowConfig(PROD)), "process"))
                .doesNotContainKey("withLabel:" + EngineConfigs.NEXTFLOW_GPU_LABEL);
        var gpuQueue = QUEUES + "genomics-batch-prod-gpu";
        var config = parse(EngineConfigs.nextflowConfig(PROD.withGpuQueue(gpuQueue)));
        // nf-core's label: nf-core modules that can use a GPU carry it.
        assertThat(EngineConfigs.NEXTFLOW_GPU_LABEL).isEqualTo("process_gpu");
        assertThat(at(config, "process", "withLabel:process_gpu", "queue")).isEqualTo(gpuQueue);
        assertThat(at(config, "process", "withLabel:process_gpu", "accelerator")).isEqualTo(1);
        // The rest is unchanged: CPU work still goes to the default and high-priority queues.
        assertThat(at(config, "process", "queue")).isEqualTo(PROD.defaultQueueArn());
        assertThat(at(config, "process", "withLabel:" + EngineConfigs.NEXTFLOW_HIGH_PRIORITY_LABEL, "queue"))
                .isEqualTo(PROD.highPriorityQueueArn());
    }

    @Test
    void aGroupsConfigSendsEveryProcessToTheGroupsQueueAndTagsItsJobsWithTheGroup() {
        var queue = QUEUES + "genomics-batch-prod-group-cancer-genomics";
        var group = EngineInputs.of("genomics-batch-prod", "eu-west-1", "genomics-batch-prod-group-cancer-genomics",
                        queue, "genomics-batch-prod-group-cancer-genomics", queue, PROD.headJobQueueName(),
                        PROD.headJobQueueArn(), PROD.jobRoleArn(), PROD.logGroupName())
                .withTags(Map.of("genomics-batch-group", "cancer-genomics"))
                .withGroup(new EngineInputs.Group("cancer-genomics", "Spot", 512));
        var text = EngineConfigs.nextflowConfig(group);
        var config = parse(text);
        assertThat(at(config, "process", "queue")).isEqualTo(queue);
        // One queue, the group's: no label sends work past its cap.
        assertThat(((Map<String, Object>) at(config, "process")).keySet()).noneMatch(k -> k.startsWith("withLabel:"));
        assertThat(text).contains("// The group's queue: Spot hosts of its own, at most 512 vCPUs at a time.")
                .doesNotContain("Spot first, then On-Demand");
        // resourceLabels is a closure (workflow resolves per task): its text carries the group's tag.
        assertThat(text).contains("resourceLabels = { ['genomics-batch-group': 'cancer-genomics', ");
        assertThat(at(config, "aws", "batch", "jobRole")).isEqualTo(PROD.jobRoleArn());
    }

    @Test
    void tasksMountTheSharedFileSystemAtTheHostsPath() {
        var config = parse(EngineConfigs.nextflowConfig(PROD.withSharedMountPath("/mnt/shared")));
        // A volume without ':' is mounted at the same path in the container.
        assertThat(at(config, "aws", "batch", "volumes")).isEqualTo(List.of("/scratch/tasks:/tmp", "/mnt/shared"));
    }

    @Test
    void workDirWhenTheStackKnowsOne() {
        var config = parse(EngineConfigs.nextflowConfig(PROD.withWorkDir("s3://acme-genomics-results/pipelines/")));
        assertThat(config.get("workDir")).isEqualTo("s3://acme-genomics-results/pipelines/nextflow/work");
    }

    @Test
    void uncommentingFusionEnablesIt() {
        var text = EngineConfigs.nextflowConfig(PROD).replace("// fusion.enabled", "fusion.enabled")
                .replace("// wave.enabled", "wave.enabled");
        var config = parse(text);
        assertThat(at(config, "fusion", "enabled")).isEqualTo(true);
        assertThat(at(config, "wave", "enabled")).isEqualTo(true);
    }

    @Test
    void valuesWithQuotesDollarsAndBackslashesStayValues() {
        var odd = EngineInputs.of("it's ${env}", "eu-west-1", "q", "arn:q/it's ${HOME} \"x\" \\ $y", "h", "arn:h",
                "hj", "arn:hj", "arn:aws:iam::1:role/o'brien\nnext", "/logs/a'b")
                .withHostPaths("/opt/it's/bin/aws", "/data dir").withMaxSpotAttempts(0);
        var config = parse(EngineConfigs.nextflowConfig(odd));
        assertThat(at(config, "process", "queue")).isEqualTo(odd.defaultQueueArn());
        assertThat(at(config, "aws", "batch", "jobRole")).isEqualTo(odd.jobRoleArn());
        assertThat(at(config, "aws", "batch", "logsGroup")).isEqualTo("/logs/a'b");
        assertThat(at(config, "aws", "batch", "cliPath")).isEqualTo("/opt/it's/bin/aws");
        assertThat(at(config, "aws", "batch", "volumes")).isEqualTo(List.of("/data dir:/tmp"));
        assertThat(at(config, "aws", "batch", "maxSpotAttempts")).isEqualTo(0);
    }

    @Test
    void everyTaskIsLabelledWithTheStackTagsAndItsRunAsNextflowResolvesThem() {
        var tags = new java.util.LinkedHashMap<String, String>();
        tags.put("CostCenter", "4711");
        tags.put("Lab name", "it's ${HOME} / core");
        var labels = at(parse(EngineConfigs.nextflowConfig(PROD.withTags(tags))), "process", "resourceLabels");
        // A closure, evaluated per task: workflow resolves against the running session, as in TaskConfig.
        assertThat(labels).isInstanceOf(groovy.lang.Closure.class);
        var closure = (groovy.lang.Closure<Object>) ((groovy.lang.Closure<Object>) labels).clone();
        var session = java.util.UUID.fromString("8b9c0f3e-3a4d-4e5f-9a1b-2c3d4e5f6a7b");
        closure.setDelegate(Map.of("workflow", Map.of("runName", "happy_einstein", "sessionId", session)));
        closure.setResolveStrategy(groovy.lang.Closure.DELEGATE_FIRST);
        assertThat((Map<String, Object>) closure.call()).containsExactly(
                Map.entry("CostCenter", "4711"), Map.entry("Lab name", "it's ${HOME} / core"),
                Map.entry(EngineConfigs.RUN_LABEL, "happy_einstein"),
                Map.entry(EngineConfigs.SESSION_LABEL, session.toString()));
    }
    // ---- Spot retries (issue 20): the move to On-Demand, evaluated by Nextflow's own TaskConfig ----

    /** A Spot reclaim as the awsbatch executor reports it: the job's status reason, then the container's reason. */
    static final String RECLAIM = "Host EC2 (instance i-0123456789abcdef0) terminated. - "
            + "CannotInspectContainerError: Could not transition to inspecting";
    static final String TOOL_FAILURE = "Essential container in task exited";

    /**
     * The process settings for one attempt, as Nextflow's TaskProcessor leaves them: the attempt number, the
     * exception of the failure being judged (set before errorStrategy runs, kept for the next attempt) and the
     * trace of the attempt before. {@code setContext} binds {@code task} to the config itself, as Nextflow does.
     */
    static TaskConfig attempt(Map<String, Object> process, int attempt, String failure, String previousQueue) {
        var config = new TaskConfig(new java.util.HashMap<>(process));
        config.setContext(new java.util.HashMap<>());
        config.put("attempt", attempt);
        if (failure != null) {
            config.put("previousException", new ProcessException(failure));
        }
        if (previousQueue != null) {
            var trace = new TraceRecord();
            trace.put("queue", previousQueue);
            config.put("previousTrace", trace);
        }
        return config;
    }

    @Test
    void everyEngineAttemptsBecomeNextflowsMaxSpotAttempts() {
        var config = parse(EngineConfigs.nextflowConfig(PROD.withSpotRetries(new SpotRetries(3, false))));
        assertThat(at(config, "aws", "batch", "maxSpotAttempts")).isEqualTo(3);
        // Without the fallback the queue stays a plain string and the pipeline keeps its errorStrategy.
        assertThat(at(config, "process", "queue")).isEqualTo(PROD.defaultQueueArn());
        assertThat((Map<String, Object>) at(config, "process")).doesNotContainKey("errorStrategy");
    }

    @Test
    void aTaskEndedBySpotReclaimsRunsAgainOnTheHighPriorityQueueAndStaysThere() {
        var config = parse(EngineConfigs.nextflowConfig(PROD.withSpotRetries(new SpotRetries(2, true))));
        assertThat(at(config, "aws", "batch", "maxSpotAttempts")).isEqualTo(2);
        var process = (Map<String, Object>) at(config, "process");
        var spot = PROD.defaultQueueArn();
        var onDemandFirst = PROD.highPriorityQueueArn();
        // The first attempt: the default queue.
        assertThat(attempt(process, 1, null, null).get("queue")).isEqualTo(spot);
        // The Batch job failed with the reclaim's reason (after its 2 attempts): retried, on the high-priority queue.
        assertThat(attempt(process, 1, RECLAIM, spot).getErrorStrategy()).isEqualTo(ErrorStrategy.RETRY);
        assertThat(attempt(process, 2, RECLAIM, spot).get("queue")).isEqualTo(onDemandFirst);
        // Any other failure: Nextflow's default, the run stops; a retry the pipeline asks for stays on Spot.
        assertThat(attempt(process, 1, TOOL_FAILURE, spot).getErrorStrategy()).isEqualTo(ErrorStrategy.TERMINATE);
        assertThat(attempt(process, 2, TOOL_FAILURE, spot).get("queue")).isEqualTo(spot);
        // Once moved, later attempts stay On-Demand first whatever ended the one before.
        assertThat(attempt(process, 3, TOOL_FAILURE, onDemandFirst).get("queue")).isEqualTo(onDemandFirst);
        // The high-priority label still sends its processes there from the first attempt.
        assertThat(at(config, "process", "withLabel:" + EngineConfigs.NEXTFLOW_HIGH_PRIORITY_LABEL, "queue"))
                .isEqualTo(onDemandFirst);
    }
    /** docs/shared-labs.md's line that keeps nf-core's retries next to the reclaim retry, as the docs print it. */
    static String nfCoreErrorStrategyFromTheDocs() throws java.io.IOException {
        var docs = java.nio.file.Files.readString(java.nio.file.Path.of("../../docs/shared-labs.md"));
        var start = docs.indexOf("```groovy\nprocess.errorStrategy");
        assertThat(start).as("the groovy block in docs/shared-labs.md").isNotNegative();
        start += "```groovy\n".length();
        return docs.substring(start, docs.indexOf("```", start));
    }

    @Test
    void theDocumentedNfCoreStrategyRetriesReclaimsAndNfCoresExitCodes() throws Exception {
        var text = EngineConfigs.nextflowConfig(PROD.withSpotRetries(new SpotRetries(2, true)))
                + nfCoreErrorStrategyFromTheDocs();
        var process = (Map<String, Object>) at(parse(text), "process");
        var reclaimed = attempt(process, 1, RECLAIM, null);
        reclaimed.put("exitStatus", Integer.MAX_VALUE);
        assertThat(reclaimed.getErrorStrategy()).isEqualTo(ErrorStrategy.RETRY);
        var outOfMemory = attempt(process, 1, TOOL_FAILURE, null);
        outOfMemory.put("exitStatus", 137);
        assertThat(outOfMemory.getErrorStrategy()).isEqualTo(ErrorStrategy.RETRY);
        var toolError = attempt(process, 1, TOOL_FAILURE, null);
        toolError.put("exitStatus", 1);
        assertThat(toolError.getErrorStrategy()).isEqualTo(ErrorStrategy.FINISH);
        // The move to On-Demand is untouched by it.
        assertThat(attempt(process, 2, RECLAIM, PROD.defaultQueueArn()).get("queue")).isEqualTo(PROD.highPriorityQueueArn());
    }

    /** The image name Nextflow submits for a task's container directive, as its awsbatch executor resolves it. */
    static String resolvedImage(Map<String, Object> config, String container) {
        // Session.getContainerConfig() takes the docker scope with engine 'docker' when no engine is enabled (a
        // Session itself is not started here: it would load the nf-amazon plugin for the S3 work directory);
        // DefaultContainerResolver then normalizes the task's image name with Nextflow's ContainerHandler.
        var docker = new java.util.LinkedHashMap<String, Object>();
        if (config.get("docker") instanceof Map<?, ?> scope) {
            ((Map<String, Object>) scope).forEach(docker::put);
        }
        docker.put("engine", "docker");
        return new nextflow.container.ContainerHandler(new nextflow.container.ContainerConfig(docker))
                .normalizeImageName(container);
    }

    @Test
    void withARegistryCacheImagesNamedWithoutARegistryArePulledThroughIt() {
        var cache = ACCOUNT + ".dkr.ecr.eu-west-1.amazonaws.com/genomics-batch-prod/quay";
        var text = EngineConfigs.nextflowConfig(PROD.withContainerRegistry(cache));
        var config = parse(text);
        assertThat(at(config, "docker", "registry")).isEqualTo(cache);
        // nf-core modules name their images without a registry: they come through the quay cache.
        assertThat(resolvedImage(config, "biocontainers/fastqc:0.12.1--hdfd78af_0"))
                .isEqualTo(cache + "/biocontainers/fastqc:0.12.1--hdfd78af_0");
        // Names with a registry are not rewritten: pulled from where they say.
        assertThat(resolvedImage(config, "quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0"))
                .isEqualTo("quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0");
        assertThat(resolvedImage(config, "public.ecr.aws/docker/library/ubuntu:24.04"))
                .isEqualTo("public.ecr.aws/docker/library/ubuntu:24.04");
        // An nf-core pipeline's own docker.registry (quay.io), read before this file, is overridden by it.
        var pipeline = parse("docker.registry = 'quay.io'\n" + text);
        assertThat(resolvedImage(pipeline, "biocontainers/fastqc:0.12.1--hdfd78af_0"))
                .isEqualTo(cache + "/biocontainers/fastqc:0.12.1--hdfd78af_0");
        // Without a cache the config sets no registry: images resolve as Nextflow's default does.
        var plain = parse(EngineConfigs.nextflowConfig(PROD));
        assertThat(plain).doesNotContainKey("docker");
        assertThat(resolvedImage(plain, "biocontainers/fastqc:0.12.1--hdfd78af_0"))
                .isEqualTo("biocontainers/fastqc:0.12.1--hdfd78af_0");
    }

    static final io.genomicsbatch.engines.FairShareQueue SHARED = new io.genomicsbatch.engines.FairShareQueue(
            QUEUES + "genomics-batch-prod-shared", List.of("labA", "7lab", "core*"));

    /** As Nextflow's ConfigBuilder applies {@code -profile}: the profiles block is a conditional block. */
    static Map<String, Object> parse(String text, String profile) {
        return new ConfigParser().registerConditionalBlock("profiles", List.of(profile)).parse(text);
    }

    @Test
    void theFairShareVariantSendsEveryTaskToTheSharedQueueWithTheProfilesShareAndAPriority() {
        var text = EngineConfigs.nextflowFairShareConfig(PROD.withGpuQueue(QUEUES + "genomics-batch-prod-gpu"), SHARED);
        for (var share : List.of("labA", "7lab")) {
            var config = parse(text, share);
            assertThat(at(config, "aws", "batch", "shareIdentifier")).as(share).isEqualTo(share);
            assertThat(at(config, "aws", "batch", "schedulingPriority")).isEqualTo(0);
            assertThat(at(config, "process", "queue")).isEqualTo(SHARED.queueArn());
            // No process goes to a first-in-first-out queue: Nextflow would send it the share identifier too.
            assertThat((Map<String, Object>) config.get("process")).doesNotContainKeys(
                    "withLabel:" + EngineConfigs.NEXTFLOW_HIGH_PRIORITY_LABEL, "withLabel:" + EngineConfigs.NEXTFLOW_GPU_LABEL);
            // The rest as in the ordinary config.
            assertThat(at(config, "aws", "batch", "jobRole")).isEqualTo(PROD.jobRoleArn());
            assertThat(at(config, "aws", "batch", "maxSpotAttempts")).isEqualTo(5);
        }
        // One profile per share a job can carry: a prefix share has none (its members pick an identifier).
        var parser = new ConfigParser();
        parser.parse(text);
        assertThat(parser.getProfileNames()).containsExactlyInAnyOrder("labA", "7lab");
        // Without -profile Nextflow applies "standard" (its docs): no identifier, which AWS Batch refuses on a
        // fair-share queue, so a run that forgets its share stops at its first task.
        assertThat((Map<String, Object>) at(parse(text, "standard"), "aws", "batch")).doesNotContainKey("shareIdentifier");
    }

    @Test
    void theOrdinaryConfigCarriesNoShareIdentifier() {
        assertThat((Map<String, Object>) at(parse(EngineConfigs.nextflowConfig(PROD)), "aws", "batch"))
                .doesNotContainKeys("shareIdentifier", "schedulingPriority");
    }
}
