package io.genomicsbatch.examples.nextflow;

import io.genomicsbatch.engines.EngineConfigs;
import io.genomicsbatch.engines.EngineInputs;
import nextflow.config.ConfigParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        var odd = new EngineInputs("it's ${env}", "eu-west-1", "q", "arn:q/it's ${HOME} \"x\" \\ $y", "h", "arn:h",
                "hj", "arn:hj", "arn:aws:iam::1:role/o'brien\nnext", "/logs/a'b", "/opt/it's/bin/aws", "/data dir",
                0, Optional.empty());
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
}
