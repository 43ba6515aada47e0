package io.genomicsbatch.engines;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine configs, read back by the engines' own parsers where one runs here: Cromwell's HOCON
 * with Typesafe Config (the library Cromwell uses), Snakemake's arguments with a real shell. The
 * Nextflow config is parsed by Nextflow itself in {@code examples/nextflow}.
 */
class EngineConfigsTest {

    static final String ACCOUNT = "123456789012";
    static final EngineInputs DEV = EngineInputs.of("genomics-batch-dev", "eu-west-1",
            "genomics-batch-dev-default", "arn:aws:batch:eu-west-1:" + ACCOUNT + ":job-queue/genomics-batch-dev-default",
            "genomics-batch-dev-high-priority",
            "arn:aws:batch:eu-west-1:" + ACCOUNT + ":job-queue/genomics-batch-dev-high-priority",
            "genomics-batch-dev-head-job", "arn:aws:batch:eu-west-1:" + ACCOUNT + ":job-queue/genomics-batch-dev-head-job",
            "arn:aws:iam::" + ACCOUNT + ":role/genomics-batch-job-role-1a2b3c4", "/aws/batch/genomics-batch-dev");

    /** Values a format could misread if they were spliced in unquoted. */
    static final EngineInputs HOSTILE = EngineInputs.of("env\n} evil {", "eu-west-1",
            "q", "arn:aws:batch:eu-west-1:1:job-queue/it's \"quoted\" ${HOME} $x \\ #not-a-comment // nor this",
            "h", "arn:h\nnewline", "hj", "arn:hj", "arn:aws:iam::1:role/o'brien", "/logs/a b\tc")
            .withHostPaths("/opt/it's here/bin/aws", "/data dir").withMaxSpotAttempts(3);

    // ---- Cromwell ----

    /** Parses as Cromwell does, with Cromwell's {@code application} include answered by an empty config. */
    static Config cromwell(String text, List<String> classpathIncludes) {
        var includer = new StubClasspathIncluder(classpathIncludes);
        var options = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setIncluder(includer)
                .setOriginDescription("cromwellBackendConfig");
        return ConfigFactory.parseString(text, options).resolve();
    }

    @Test
    void cromwellBackendPointsAtTheDefaultQueueWithS3Filesystems() {
        var includes = new ArrayList<String>();
        var c = cromwell(EngineConfigs.cromwellBackendConfig(DEV.withWorkDir("s3://acme-genomics-results/runs/")),
                includes);
        assertThat(includes).containsExactly("application"); // Cromwell's defaults first, then ours
        assertThat(c.getString("aws.region")).isEqualTo("eu-west-1");
        assertThat(c.getConfigList("aws.auths")).singleElement().satisfies(auth -> {
            assertThat(auth.getString("name")).isEqualTo("default");
            assertThat(auth.getString("scheme")).isEqualTo("default");
        });
        assertThat(c.getString("engine.filesystems.s3.auth")).isEqualTo("default");
        assertThat(c.getString("backend.default")).isEqualTo("AWSBatch");
        var backend = c.getConfig("backend.providers.AWSBatch");
        assertThat(backend.getString("actor-factory"))
                .isEqualTo("cromwell.backend.impl.aws.AwsBatchBackendLifecycleActorFactory");
        assertThat(backend.getString("config.root")).isEqualTo("s3://acme-genomics-results/runs/cromwell-execution");
        assertThat(backend.getString("config.auth")).isEqualTo("default");
        assertThat(backend.getString("config.default-runtime-attributes.queueArn")).isEqualTo(DEV.defaultQueueArn());
        assertThat(backend.getString("config.filesystems.s3.auth")).isEqualTo("default");
        assertThat(backend.getInt("config.numSubmitAttempts")).isPositive();
        // The auth names used must be defined in aws.auths.
        assertThat(c.getConfigList("aws.auths").stream().map(a -> a.getString("name")))
                .contains(backend.getString("config.auth"), c.getString("engine.filesystems.s3.auth"));
    }

    static final String GPU_QUEUE = "arn:aws:batch:eu-west-1:" + ACCOUNT + ":job-queue/genomics-batch-dev-gpu";

    @Test
    void cromwellHasOneBackendWithoutAGpuQueue() {
        var c = cromwell(EngineConfigs.cromwellBackendConfig(DEV), new ArrayList<>());
        assertThat(c.getObject("backend.providers").keySet()).containsExactly("AWSBatch");
        assertThat(c.hasPath("backend.providers.AWSBatch.config.default-runtime-attributes.gpuCount")).isFalse();
    }

    @Test
    void cromwellGpuTasksPickASecondBackendOnTheGpuQueueWithOneGpu() {
        var c = cromwell(EngineConfigs.cromwellBackendConfig(DEV.withGpuQueue(GPU_QUEUE)
                .withWorkDir("s3://acme-genomics-results/runs")), new ArrayList<>());
        assertThat(c.getString("backend.default")).isEqualTo("AWSBatch");
        assertThat(c.getObject("backend.providers").keySet()).containsExactlyInAnyOrder("AWSBatch", "AWSBatchGPU");
        var cpu = c.getConfig("backend.providers.AWSBatch");
        var gpu = c.getConfig("backend.providers.AWSBatchGPU");
        assertThat(gpu.getString("config.default-runtime-attributes.queueArn")).isEqualTo(GPU_QUEUE);
        // Cromwell's AWS backend passes gpuCount to Batch as the job's GPU resource requirement.
        assertThat(gpu.getInt("config.default-runtime-attributes.gpuCount")).isEqualTo(1);
        assertThat(cpu.getString("config.default-runtime-attributes.queueArn")).isEqualTo(DEV.defaultQueueArn());
        assertThat(cpu.hasPath("config.default-runtime-attributes.gpuCount")).isFalse();
        // Everything else is the same backend: the same factory, work root, auth and filesystems.
        for (var path : List.of("actor-factory", "config.root", "config.auth", "config.filesystems.s3.auth",
                "config.numSubmitAttempts")) {
            assertThat(gpu.getString(path)).as(path).isEqualTo(cpu.getString(path));
        }
        assertThat(gpu.getString("config.root")).isEqualTo("s3://acme-genomics-results/runs/cromwell-execution");
        // The way to pick it, in the file itself.
        assertThat(EngineConfigs.cromwellBackendConfig(DEV.withGpuQueue(GPU_QUEUE)))
                .contains("runtime { backend: \"AWSBatchGPU\" }");
    }

    @Test
    void theGpuQueueSurvivesQuotingInBothFormats() {
        var odd = "arn:aws:batch:eu-west-1:1:job-queue/gpu \"x\" ${HOME} it's \\";
        var c = cromwell(EngineConfigs.cromwellBackendConfig(HOSTILE.withGpuQueue(odd)), new ArrayList<>());
        assertThat(c.getString("backend.providers.AWSBatchGPU.config.default-runtime-attributes.queueArn")).isEqualTo(odd);
        assertThat(EngineConfigs.nextflowConfig(HOSTILE.withGpuQueue(odd))).contains(EngineConfigs.groovy(odd));
    }

    @Test
    void cromwellTasksGetTheSharedFileSystemBesideTheirWorkingDisk() {
        assertThat(cromwell(EngineConfigs.cromwellBackendConfig(DEV), new ArrayList<>())
                .hasPath("backend.providers.AWSBatch.config.default-runtime-attributes.disks")).isFalse();
        var c = cromwell(EngineConfigs.cromwellBackendConfig(DEV.withSharedMountPath("/mnt/shared")
                .withGpuQueue(GPU_QUEUE)), new ArrayList<>());
        // Cromwell's AWS backend (AwsBatchVolume) reads "local-disk" as /cromwell_root and a bare mount point
        // as the host path of the same name, mounted there in the container; both backends get it.
        for (var backend : List.of("AWSBatch", "AWSBatchGPU")) {
            assertThat(c.getString("backend.providers." + backend + ".config.default-runtime-attributes.disks"))
                    .as(backend).isEqualTo("local-disk, /mnt/shared");
        }
    }

    @Test
    void snakemakeArgsAreTheSameWithASharedFileSystem() {
        // The plugin registers job definitions without volumes: nothing here can mount it (docs/shared-labs.md).
        assertThat(EngineConfigs.snakemakeArgs(DEV.withSharedMountPath("/mnt/shared")))
                .isEqualTo(EngineConfigs.snakemakeArgs(DEV));
    }

    @Test
    void cromwellRootIsAPlaceholderWithoutAWorkDir() {
        var c = cromwell(EngineConfigs.cromwellBackendConfig(DEV), new ArrayList<>());
        assertThat(c.getString("backend.providers.AWSBatch.config.root"))
                .isEqualTo("s3://<work-bucket>/<prefix>/cromwell-execution");
        assertThat(EngineConfigs.cromwellBackendConfig(DEV)).contains("# genomics-batch:workDirectory");
        // The job role goes in the workflow options; the comment shows them with the real ARN.
        assertThat(EngineConfigs.cromwellBackendConfig(DEV)).contains("\"aws_batch_job_role_arn\": \"" + DEV.jobRoleArn() + "\"");
    }

    /** Every character a work directory may have (a legacy bucket name, AWS's safe key characters). */
    static final String ODD_WORK_DIR = "s3://Legacy_Reads.v2/it's/(copy)/!*_-.";

    @Test
    void everyWorkDirectoryTheStackAcceptsReachesEachEngineAsIs() throws Exception {
        var in = DEV.withWorkDir(ODD_WORK_DIR);
        assertThat(cromwell(EngineConfigs.cromwellBackendConfig(in), new ArrayList<>())
                .getString("backend.providers.AWSBatch.config.root")).isEqualTo(ODD_WORK_DIR + "/cromwell-execution");
        assertThat(shellWords(EngineConfigs.snakemakeArgs(in))).endsWith("--default-storage-prefix",
                ODD_WORK_DIR + "/snakemake");
        assertThat(EngineConfigs.nextflowConfig(in)).contains("workDir = 's3://Legacy_Reads.v2/it\\'s/(copy)/!*_-./nextflow/work'");
    }

    @Test
    void cromwellValuesSurviveQuotesSubstitutionsAndCommentMarkers() {
        var c = cromwell(EngineConfigs.cromwellBackendConfig(HOSTILE), new ArrayList<>());
        assertThat(c.getString("backend.providers.AWSBatch.config.default-runtime-attributes.queueArn"))
                .isEqualTo(HOSTILE.defaultQueueArn());
        assertThat(c.root().keySet()).containsExactlyInAnyOrder("aws", "engine", "backend");
    }

    // ---- Snakemake ----

    /** The words a POSIX shell makes of the argument line. */
    static List<String> shellWords(String line) throws IOException, InterruptedException {
        var process = new ProcessBuilder("bash", "-c", "printf '%s\\0' " + line).redirectErrorStream(true).start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return Arrays.asList(out.split("\0"));
    }

    @Test
    void snakemakeArgsNameTheExecutorRegionQueueAndRole() throws Exception {
        var words = shellWords(EngineConfigs.snakemakeArgs(DEV.withWorkDir("s3://acme-genomics-results/runs")));
        assertThat(words).containsExactly("--executor", "aws-batch", "--aws-batch-region", "eu-west-1",
                "--aws-batch-job-queue", DEV.defaultQueueArn(), "--aws-batch-job-role", DEV.jobRoleArn(),
                "--default-storage-provider", "s3", "--default-storage-prefix", "s3://acme-genomics-results/runs/snakemake");
        // Without a work directory, the placeholder (one word, though the shell would read '<' as a redirection).
        assertThat(shellWords(EngineConfigs.snakemakeArgs(DEV)))
                .endsWith("--default-storage-prefix", "s3://<work-bucket>/<prefix>/snakemake");
    }

    @Test
    void snakemakeArgsAreOneWordPerValueWhateverTheValue() throws Exception {
        assertThat(shellWords(EngineConfigs.snakemakeArgs(HOSTILE))).isEqualTo(EngineConfigs.snakemakeArgList(HOSTILE));
    }

    // ---- Nextflow (structure only here; examples/nextflow parses it with Nextflow) ----

    @Test
    void nextflowConfigCarriesEveryRealValue() {
        var text = EngineConfigs.nextflowConfig(DEV);
        assertThat(text).contains("'" + DEV.jobRoleArn() + "'", "'" + DEV.defaultQueueArn() + "'",
                "'" + DEV.highPriorityQueueArn() + "'", "'/scratch/tasks:/tmp'", "'" + EngineInputs.HOST_AWS_CLI + "'",
                "maxSpotAttempts = 5", "'" + DEV.logGroupName() + "'");
        // Without a work directory: the placeholder, and what to do about it.
        assertThat(text).contains("workDir = 's3://<work-bucket>/<prefix>/nextflow/work'")
                .contains("// genomics-batch:workDirectory");
        var withWorkDir = EngineConfigs.nextflowConfig(DEV.withWorkDir("s3://acme-genomics-results/x"));
        assertThat(withWorkDir).contains("workDir = 's3://acme-genomics-results/x/nextflow/work'")
                .doesNotContain("<work-bucket>").doesNotContain("genomics-batch:workDirectory");
    }

    @Test
    void nextflowRoutesTheNfCoreGpuLabelOnlyWhenThereIsAGpuQueue() {
        assertThat(EngineConfigs.nextflowConfig(DEV)).doesNotContain("process_gpu").doesNotContain("accelerator");
        var text = EngineConfigs.nextflowConfig(DEV.withGpuQueue(GPU_QUEUE));
        assertThat(text).contains("    withLabel: 'process_gpu' {\n        queue = '" + GPU_QUEUE + "'\n"
                + "        accelerator = 1\n    }\n");
        // After the high-priority label: for a process with both labels, the later selector wins.
        assertThat(text.indexOf("withLabel: 'process_gpu'")).isGreaterThan(text.indexOf("withLabel: 'high_priority'"));
    }

    @Test
    void groovyStringsEscapeQuotesAndBackslashes() {
        assertThat(EngineConfigs.groovy("it's a \\ $x\n")).isEqualTo("'it\\'s a \\\\ $x\\n'");
    }

    @Test
    void byOutputNameGivesEachConfigUnderItsStackOutput() {
        assertThat(EngineConfigs.byOutputName(DEV)).containsExactly(
                java.util.Map.entry("nextflowConfig", EngineConfigs.nextflowConfig(DEV)),
                java.util.Map.entry("cromwellBackendConfig", EngineConfigs.cromwellBackendConfig(DEV)),
                java.util.Map.entry("snakemakeArgs", EngineConfigs.snakemakeArgs(DEV)));
        assertThat(EngineConfigs.byOutputName(DEV).keySet()).containsExactlyElementsOf(EngineConfigs.OUTPUT_NAMES);
    }

    // ---- inputs ----

    @Test
    void inputsRefuseWhatTheEnginesWouldRefuse() {
        assertThatThrownBy(() -> EngineInputs.of("e", "r", "q", "a", "h", "a", "hj", "a", "role", "logs")
                .withHostPaths("/usr/bin/aws2", "/scratch")).hasMessageContaining("/bin/aws");
        assertThatThrownBy(() -> DEV.withMaxSpotAttempts(11)).hasMessageContaining("0-10");
        assertThatThrownBy(() -> DEV.withWorkDir("acme-bucket/work")).hasMessageContaining("s3://");
        assertThatThrownBy(() -> DEV.withWorkDir("s3:///work")).hasMessageContaining("s3://");
        // Bucket names are the stack config's to judge: a legacy us-east-1 name passes.
        assertThat(DEV.withWorkDir("s3://Legacy_Reads/work/").workDir()).contains("s3://Legacy_Reads/work");
        assertThatThrownBy(() -> EngineInputs.of("e", "", "q", "a", "h", "a", "hj", "a", "role", "logs"))
                .hasMessageContaining("region");
        assertThatThrownBy(() -> DEV.withGpuQueue(" ")).hasMessageContaining("gpuQueueArn");
        // Nextflow prepends the registry to image names as it is: a scheme would make every name invalid.
        assertThatThrownBy(() -> DEV.withContainerRegistry("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com"))
                .hasMessageContaining("containerRegistry");
        assertThatThrownBy(() -> DEV.withContainerRegistry(" ")).hasMessageContaining("containerRegistry");
        // Kept through the other withers.
        assertThat(DEV.withContainerRegistry("r.example/p").withWorkDir("s3://b/w").withGpuQueue("arn:g")
                .withTags(java.util.Map.of()).withMaxSpotAttempts(1).containerRegistry()).contains("r.example/p");
        assertThat(DEV.withMaxSpotAttempts(0).maxSpotAttempts()).isZero();
    }

    /** examples/nextflow compiles this package alone, next to Nextflow's own dependencies. */
    @Test
    void thePackageDependsOnTheJdkOnly() throws IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/java/io/genomicsbatch/engines"))) {
            for (var file : files.toList()) {
                assertThat(java.nio.file.Files.readAllLines(file)).as(file.toString())
                        .filteredOn(line -> line.startsWith("import "))
                        .allMatch(line -> line.startsWith("import java.") || line.startsWith("import static java."));
            }
        }
    }

    /** Answers {@code include classpath("...")} with an empty object and records what was asked for. */
    private record StubClasspathIncluder(List<String> seen) implements ConfigIncluder, ConfigIncluderClasspath {
        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            throw new AssertionError("unexpected heuristic include " + what);
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            seen.add(what);
            return ConfigFactory.empty().root();
        }
    }

    // ---- Job tags (issue 18) ----

    static final java.util.Map<String, String> LAB_TAGS = tags("CostCenter", "4711", "Lab", "it's ${HOME} core");

    private static java.util.Map<String, String> tags(String... kv) {
        var m = new java.util.LinkedHashMap<String, String>();
        for (var i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void nextflowLabelsEveryJobWithTheStackTagsAndTheRun() {
        var config = EngineConfigs.nextflowConfig(DEV.withTags(LAB_TAGS));
        // Quoted as Groovy strings (NextflowConfigTest evaluates the closure with Nextflow's parser).
        assertThat(config).contains("    resourceLabels = { ['CostCenter': '4711', 'Lab': 'it\\'s ${HOME} core', "
                + "'genomics-batch-run': workflow.runName, 'genomics-batch-session': workflow.sessionId.toString()] }\n");
        // Without stack tags, the run's labels still.
        assertThat(EngineConfigs.nextflowConfig(DEV)).contains("resourceLabels = { ['genomics-batch-run': "
                + "workflow.runName, 'genomics-batch-session': workflow.sessionId.toString()] }");
    }

    @Test
    void snakemakeTagsEveryJobWithTheStackTagsLastSoARunLabelCanFollow() {
        var args = EngineConfigs.snakemakeArgList(DEV.withTags(LAB_TAGS));
        assertThat(args.subList(args.indexOf("--aws-batch-tags"), args.size()))
                .containsExactly("--aws-batch-tags", "CostCenter=4711", "Lab=it's ${HOME} core");
        assertThat(EngineConfigs.snakemakeArgs(DEV.withTags(LAB_TAGS)))
                .endsWith(" --aws-batch-tags CostCenter=4711 'Lab=it'\\''s ${HOME} core'");
        // No tags, no option; a key holding '=' cannot be passed as KEY=VALUE, so it is left out.
        assertThat(EngineConfigs.snakemakeArgList(DEV)).doesNotContain("--aws-batch-tags");
        assertThat(EngineConfigs.snakemakeArgList(DEV.withTags(tags("a=b", "1", "Lab", "x"))))
                .endsWith("--aws-batch-tags", "Lab=x").doesNotContain("a=b=1");
    }

    @Test
    void cromwellGetsNoJobTags() {
        // Cromwell's released AWS backend offers no job tags to configure (docs/cost.md): nothing is claimed.
        assertThat(EngineConfigs.cromwellBackendConfig(DEV.withTags(LAB_TAGS)))
                .isEqualTo(EngineConfigs.cromwellBackendConfig(DEV));
    }
    // ---- Spot retries in every engine (issue 20) ----

    static final SpotRetries THREE = new SpotRetries(3, false);

    /**
     * What Cromwell's AWS backend (91 and later) accepts, from its AwsBatchRuntimeAttributes: attempts 0-10
     * (AwsBatchRetryAttemptsValidation), and evaluate-on-exit entries read with Config.getObjectList whose keys
     * are among these (any case) and whose action is retry or exit (AwsBatchEvaluateOnExitValidation).
     */
    static final Set<String> CROMWELL_EVALUATE_ON_EXIT_KEYS = Set.of("action", "onexitcode", "onreason", "onstatusreason");

    @Test
    void cromwellRetriesHostTerminationsOnlyInEveryBackend() {
        var c = cromwell(EngineConfigs.cromwellBackendConfig(DEV.withGpuQueue(GPU_QUEUE).withSpotRetries(THREE)),
                new ArrayList<>());
        for (var backend : List.of("AWSBatch", "AWSBatchGPU")) {
            var attributes = c.getConfig("backend.providers." + backend + ".config.default-runtime-attributes");
            assertThat(attributes.getInt("awsBatchRetryAttempts")).as(backend).isEqualTo(3).isBetween(0, 10);
            var rules = attributes.getObjectList("awsBatchEvaluateOnExit").stream().map(o -> o.unwrapped()).toList();
            // The first matching rule wins (AWS Batch): a host termination retries, anything else ends the job.
            assertThat(rules).as(backend).containsExactly(
                    java.util.Map.of("action", "RETRY", "onStatusReason", "Host EC2*"),
                    java.util.Map.of("action", "EXIT", "onReason", "*"));
            assertThat(rules).allSatisfy(rule -> {
                assertThat(rule.keySet()).allSatisfy(k -> assertThat(CROMWELL_EVALUATE_ON_EXIT_KEYS)
                        .contains(k.toLowerCase(java.util.Locale.ROOT)));
                assertThat(((String) rule.get("action")).toLowerCase(java.util.Locale.ROOT)).isIn("retry", "exit");
            });
            assertThat(attributes.getString("queueArn")).isNotEmpty();
        }
        assertThat(c.getInt("backend.providers.AWSBatchGPU.config.default-runtime-attributes.gpuCount")).isEqualTo(1);
        // Off: no retry attributes, the config as it was.
        assertThat(EngineConfigs.cromwellBackendConfig(DEV.withSpotRetries(SpotRetries.NONE)))
                .isEqualTo(EngineConfigs.cromwellBackendConfig(DEV)).doesNotContain("awsBatchRetryAttempts");
        // The Nextflow-only fallback changes nothing for Cromwell.
        assertThat(EngineConfigs.cromwellBackendConfig(DEV.withSpotRetries(new SpotRetries(0, true))))
                .isEqualTo(EngineConfigs.cromwellBackendConfig(DEV));
    }

    @Test
    void snakemakeAsksForSpotAttemptsBeforeTheTagsThatMustStayLast() throws Exception {
        var words = shellWords(EngineConfigs.snakemakeArgs(DEV.withTags(LAB_TAGS).withSpotRetries(THREE)));
        var at = words.indexOf("--aws-batch-spot-attempts");
        assertThat(at).isPositive();
        assertThat(words.get(at + 1)).isEqualTo("3");
        assertThat(words.subList(words.indexOf("--aws-batch-tags"), words.size()))
                .containsExactly("--aws-batch-tags", "CostCenter=4711", "Lab=it's ${HOME} core");
        assertThat(at).isLessThan(words.indexOf("--aws-batch-tags"));
        assertThat(shellWords(EngineConfigs.snakemakeArgs(DEV.withSpotRetries(new SpotRetries(10, false)))))
                .endsWith("--aws-batch-spot-attempts", "10");
        assertThat(EngineConfigs.snakemakeArgList(DEV.withSpotRetries(new SpotRetries(0, true))))
                .isEqualTo(EngineConfigs.snakemakeArgList(DEV)).doesNotContain("--aws-batch-spot-attempts");
    }

    @Test
    void nextflowTakesTheEveryEngineAttemptsAndMovesReclaimedTasksOnlyWhenAsked() {
        assertThat(EngineConfigs.nextflowConfig(DEV.withSpotRetries(THREE))).contains("maxSpotAttempts = 3\n")
                .doesNotContain("errorStrategy");
        // Without every-engine attempts Nextflow keeps its own, the fallback included.
        var fallback = EngineConfigs.nextflowConfig(DEV.withMaxSpotAttempts(2).withSpotRetries(new SpotRetries(0, true)));
        assertThat(fallback).contains("maxSpotAttempts = 2\n").contains("errorStrategy = {")
                .contains("task.previousTrace?.queue == '" + DEV.highPriorityQueueArn() + "'");
        // The high-priority label still wins for its processes (a withLabel selector outranks process.queue).
        assertThat(fallback).contains("    withLabel: 'high_priority' {\n        queue = '" + DEV.highPriorityQueueArn());
        assertThat(EngineConfigs.nextflowConfig(DEV.withSpotRetries(SpotRetries.NONE)))
                .isEqualTo(EngineConfigs.nextflowConfig(DEV));
    }

    @Test
    void theFallbackQuotesTheQueuesForGroovy() {
        var text = EngineConfigs.nextflowConfig(HOSTILE.withSpotRetries(new SpotRetries(2, true)));
        assertThat(text).contains(EngineConfigs.groovy(HOSTILE.highPriorityQueueArn()))
                .contains(EngineConfigs.groovy(HOSTILE.defaultQueueArn()));
    }

    @Test
    void spotAttemptsOutsideWhatAwsBatchTakesAreRefused() {
        assertThatThrownBy(() -> DEV.withSpotRetries(new SpotRetries(11, false))).hasMessageContaining("0-10");
        assertThatThrownBy(() -> DEV.withSpotRetries(new SpotRetries(-1, true))).hasMessageContaining("0-10");
        assertThat(DEV.withSpotRetries(null).spotRetries()).isEqualTo(SpotRetries.NONE);
        assertThat(DEV.withSpotRetries(new SpotRetries(4, false)).nextflowSpotAttempts()).isEqualTo(4);
        assertThat(DEV.withMaxSpotAttempts(0).nextflowSpotAttempts()).isZero();
    }
}
