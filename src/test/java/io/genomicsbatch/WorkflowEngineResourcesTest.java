package io.genomicsbatch;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.genomicsbatch.EnvironmentTest.CE;
import static io.genomicsbatch.EnvironmentTest.QUEUE;
import static io.genomicsbatch.EnvironmentTest.ROLE;
import static io.genomicsbatch.EnvironmentTest.stack;
import static io.genomicsbatch.support.AwsAnswers.arn;
import static io.genomicsbatch.support.AwsAnswers.id;
import static io.genomicsbatch.support.TestStacks.PROD_SUBNETS;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.run;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** What workflow engines run on (issue 10): head jobs, logs, data access, egress, the S3 endpoint, engine configs. */
@SuppressWarnings("unchecked")
class WorkflowEngineResourcesTest {

    static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    static final String ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

    static JsonObject policy(Recorder.Recording r, String name) {
        return JsonParser.parseString((String) input(resource(r, name), "policy")).getAsJsonObject();
    }

    static JsonObject statement(JsonObject policy, String sid) {
        return policy.getAsJsonArray("Statement").asList().stream().map(e -> e.getAsJsonObject())
                .filter(s -> s.get("Sid").getAsString().equals(sid)).findFirst().orElseThrow();
    }

    static List<String> strings(JsonObject statement, String field) {
        return statement.getAsJsonArray(field).asList().stream().map(e -> e.getAsString()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void headJobQueueUsesOnlyOnDemandWithTheHighestPriority(String stack) {
        var r = stack(stack);
        var queue = ofType(r, QUEUE).stream().filter(q -> q.name().equals("genomics-batch-head-job")).findFirst()
                .orElseThrow();
        assertThat(input(queue, "name")).isEqualTo("genomics-batch-" + stack + "-head-job");
        assertThat(((Number) input(queue, "priority")).intValue()).isEqualTo(1000);
        var orders = (List<Map<String, Object>>) input(queue, "computeEnvironmentOrders");
        assertThat(orders).singleElement().satisfies(o ->
                assertThat(o.get("computeEnvironment")).isEqualTo(arn(CE, "genomics-batch-on-demand")));
        assertThat(queue.protect()).isEqualTo(stack.equals("prod"));
        // Spillover never adds Spot to it.
        var noSpill = succeeded(run(stack, Map.of("queueSpillover", "false")));
        assertThat((List<Object>) input(resource(noSpill, "genomics-batch-high-priority"), "computeEnvironmentOrders"))
                .hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void jobLogGroupHasTheRetentionOfTheConfig(String stack) {
        var logs = resource(stack(stack), "genomics-batch-job-logs");
        assertThat(logs.type()).isEqualTo("aws:cloudwatch/logGroup:LogGroup");
        assertThat(input(logs, "name")).isEqualTo("/aws/batch/genomics-batch-" + stack);
        assertThat(((Number) input(logs, "retentionInDays")).intValue()).isEqualTo(90);
        assertThat(logs.protect()).isEqualTo(stack.equals("prod"));
        var forever = resource(succeeded(run("dev", Map.of("logRetentionDays", "0"))), "genomics-batch-job-logs");
        assertThat(((Number) input(forever, "retentionInDays")).intValue()).isZero();
    }

    @Test
    void headJobRoleIsTrustedByThisAccountsEcsTasksAndScopedToThisEnvironment() {
        var r = stack("prod");
        var role = resource(r, "genomics-batch-head-job-role");
        assertThat(role.protect()).isTrue();
        var trust = JsonParser.parseString((String) input(role, "assumeRolePolicy")).getAsJsonObject()
                .getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertThat(trust.getAsJsonObject("Principal").get("Service").getAsString()).isEqualTo("ecs-tasks.amazonaws.com");
        assertThat(trust.getAsJsonObject("Condition").getAsJsonObject("StringEquals").get("aws:SourceAccount")
                .getAsString()).isEqualTo(AwsAnswers.ACCOUNT);

        var batch = policy(r, "genomics-batch-head-job-role-batch");
        var jobDefinitions = "arn:aws:batch:us-east-1:" + AwsAnswers.ACCOUNT + ":job-definition/";
        assertThat(strings(statement(batch, "SubmitToThisEnvironmentsQueues"), "Resource")).containsExactlyInAnyOrder(
                arn(QUEUE, "genomics-batch-default"), arn(QUEUE, "genomics-batch-high-priority"),
                arn(QUEUE, "genomics-batch-head-job"),
                jobDefinitions + "nf-*", jobDefinitions + "cromwell_*", jobDefinitions + "snakejob-def-*",
                jobDefinitions + "genomics-batch-prod-*", "arn:aws:batch:us-east-1:" + AwsAnswers.ACCOUNT + ":job/*");
        assertThat(strings(statement(batch, "ManageEngineJobDefinitions"), "Resource")).allSatisfy(arn ->
                assertThat(arn).startsWith(jobDefinitions).endsWith("*"));
        assertThat(strings(statement(batch, "PassTheJobRoleOnly"), "Resource"))
                .containsExactly(arn(ROLE, "genomics-batch-job-role"));
        assertThat(strings(statement(batch, "ReadJobLogs"), "Resource")).allSatisfy(arn ->
                assertThat(arn).startsWith("arn:aws:logs:us-east-1:" + AwsAnswers.ACCOUNT
                        + ":log-group:/aws/batch/genomics-batch-prod"));
        // S3 as the job role: the same data and reference policies.
        assertThat(input(resource(r, "genomics-batch-head-job-role-data-buckets"), "policy"))
                .isEqualTo(input(resource(r, "genomics-batch-job-role-data-buckets"), "policy"));
        assertThat(r.outputs()).containsEntry("headJobRoleArn", arn(ROLE, "genomics-batch-head-job-role"));
    }

    @Test
    void referenceBucketsAreReadOnlyAndDataObjectsMayBeTagged() {
        var r = stack("prod");
        var reference = policy(r, "genomics-batch-job-role-reference-buckets");
        assertThat(strings(statement(reference, "ReadReferenceObjects"), "Action"))
                .containsExactlyInAnyOrder("s3:GetObject", "s3:GetObjectTagging");
        assertThat(strings(statement(reference, "ReadReferenceObjects"), "Resource"))
                .containsExactly("arn:aws:s3:::ngi-igenomes/*", "arn:aws:s3:::annotation-cache/*");
        assertThat(strings(statement(policy(r, "genomics-batch-job-role-data-buckets"), "ReadWriteDataObjects"),
                "Action")).contains("s3:PutObjectTagging", "s3:GetObjectTagging");

        var none = succeeded(run("dev", Map.of("referenceBucketNames", "[]")));
        assertThat(ofType(none, ROLE_POLICY)).extracting(PlannedResource::name)
                .noneMatch(n -> n.endsWith("reference-buckets"));
    }

    @Test
    void kmsKeysAreUsableByBothJobRolesOnlyWhenConfigured() {
        assertThat(ofType(stack("prod"), ROLE_POLICY)).extracting(PlannedResource::name)
                .noneMatch(n -> n.endsWith("kms-keys"));
        var key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var r = succeeded(run("dev", Map.of("dataKmsKeyArns", "[\"" + key + "\"]")));
        for (var role : List.of("genomics-batch-job-role", "genomics-batch-head-job-role")) {
            var kms = statement(policy(r, role + "-data-kms-keys"), "UseDataKeys");
            assertThat(strings(kms, "Action")).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey");
            assertThat(strings(kms, "Resource")).containsExactly(key);
        }
    }

    static List<Map<String, Object>> egress(Recorder.Recording r) {
        return (List<Map<String, Object>>) input(resource(r, "genomics-batch-host-security-group"), "egress");
    }

    @Test
    void egressStaysHttpsAndHttpUnlessFileSystemsOrAllEgressAreConfigured() {
        assertThat(egress(stack("dev"))).extracting(e -> ((Number) e.get("fromPort")).intValue())
                .containsExactlyInAnyOrder(80, 443);

        var fs = List.of("sg-0123456789abcdef0", "sg-0fedcba9876543210");
        var r = succeeded(run("dev", Map.of("sharedFileSystemSecurityGroupIds", "[\"" + String.join("\",\"", fs) + "\"]")));
        var toFileSystems = egress(r).stream().filter(e -> e.containsKey("securityGroups")).toList();
        assertThat(toFileSystems).extracting(e -> ((Number) e.get("fromPort")).intValue() + "-" + ((Number) e.get("toPort")).intValue())
                .containsExactlyInAnyOrder("2049-2049", "988-988", "1018-1023");
        assertThat(toFileSystems).allSatisfy(e -> {
            assertThat(e.get("protocol")).isEqualTo("tcp");
            assertThat(e.get("securityGroups")).isEqualTo(fs);
            assertThat(e).doesNotContainKey("cidrBlocks");
        });

        var all = succeeded(run("dev", Map.of("allowAllEgress", "true")));
        assertThat(egress(all)).anySatisfy(e -> {
            assertThat(e.get("protocol")).isEqualTo("-1");
            assertThat(e.get("cidrBlocks")).isEqualTo(List.of("0.0.0.0/0"));
        });
        assertThat(all.warnings()).anySatisfy(w -> assertThat(w).startsWith("genomics-batch:allowAllEgress = true"));
        // The group's description cannot change in place, so it stays whatever egress is added.
        assertThat(input(resource(all, "genomics-batch-host-security-group"), "description"))
                .isEqualTo(input(resource(stack("dev"), "genomics-batch-host-security-group"), "description"));
    }

    @Test
    void s3GatewayEndpointOnTheSubnetsRouteTablesAndTheMainOne() {
        assertThat(ofType(stack("dev"), ENDPOINT)).isEmpty();
        var endpoint = resource(stack("prod"), "genomics-batch-s3-gateway-endpoint");
        assertThat(input(endpoint, "vpcEndpointType")).isEqualTo("Gateway");
        assertThat(input(endpoint, "serviceName")).isEqualTo("com.amazonaws.us-east-1.s3");
        assertThat(input(endpoint, "vpcId")).isEqualTo(io.genomicsbatch.support.TestStacks.PROD_VPC);
        var expected = new java.util.TreeSet<String>();
        PROD_SUBNETS.forEach(s -> expected.add("rtb-" + s.substring("subnet-".length())));
        expected.add(AwsAnswers.MAIN_ROUTE_TABLE);
        assertThat((List<String>) input(endpoint, "routeTableIds")).containsExactlyElementsOf(expected);
    }

    @Test
    void engineConfigsCarryTheRealQueueRoleAndLogGroup() {
        var outputs = stack("prod").outputs();
        var cromwell = com.typesafe.config.ConfigFactory.parseString((String) outputs.get("cromwellBackendConfig"),
                com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(true)
                        .setIncluder(new NoIncludes()));
        assertThat(cromwell.getString("backend.providers.AWSBatch.config.default-runtime-attributes.queueArn"))
                .isEqualTo(arn(QUEUE, "genomics-batch-default"));
        assertThat((String) outputs.get("nextflowConfig")).contains("queue = '" + arn(QUEUE, "genomics-batch-default") + "'")
                .contains("'" + arn(ROLE, "genomics-batch-job-role") + "'")
                .contains("'/aws/batch/genomics-batch-prod'")
                // prod names data buckets but no work directory: none of them is used for work files.
                .contains("workDir = 's3://<work-bucket>/<prefix>/nextflow/work'")
                .doesNotContain("acme-genomics-raw-reads").doesNotContain("acme-genomics-results");
        assertThat((String) outputs.get("snakemakeArgs")).contains(arn(QUEUE, "genomics-batch-default"))
                .contains("--aws-batch-region us-east-1");
        assertThat(outputs.get("launchTemplateId")).isEqualTo(id("genomics-batch-host-launch-template"));
    }

    @Test
    void engineConfigsUseTheWorkDirectoryAndNoOtherBucket() {
        var raw = "[\"acme-raw-reads\",\"acme-work\"]";
        var outputs = succeeded(run("dev", Map.of("dataBucketNames", raw, "workDirectory", "s3://acme-work/runs")))
                .outputs();
        assertThat((String) outputs.get("nextflowConfig")).contains("workDir = 's3://acme-work/runs/nextflow/work'");
        assertThat(cromwell((String) outputs.get("cromwellBackendConfig"))
                .getString("backend.providers.AWSBatch.config.root")).isEqualTo("s3://acme-work/runs/cromwell-execution");
        assertThat((String) outputs.get("snakemakeArgs"))
                .endsWith(" --default-storage-prefix s3://acme-work/runs/snakemake");
        // The raw reads, listed first, are never where work files go: with or without a work directory.
        var without = succeeded(run("dev", Map.of("dataBucketNames", raw))).outputs();
        for (var output : List.of("nextflowConfig", "cromwellBackendConfig", "snakemakeArgs")) {
            assertThat((String) outputs.get(output)).as(output).doesNotContain("acme-raw-reads");
            assertThat((String) without.get(output)).as(output).doesNotContain("acme-raw-reads")
                    .doesNotContain("acme-work").contains("s3://<work-bucket>/<prefix>/");
        }
        assertThat(cromwell((String) without.get("cromwellBackendConfig"))
                .getString("backend.providers.AWSBatch.config.root")).isEqualTo("s3://<work-bucket>/<prefix>/cromwell-execution");
    }

    /**
     * A stack with engineSpotAttempts and nextflowOnDemandFallback (fixture Pulumi.spot-retries.yaml): every
     * engine config retries host terminations only, with the stack's attempts; Nextflow moves a reclaimed task
     * to the high-priority queue. EngineConfigsTest and examples/nextflow parse the same texts with the engines'
     * parsers; here, that the stack's values reach them.
     */
    @Test
    void spotRetriesReachEveryEngineConfigFromTheStack() {
        var r = succeeded(io.genomicsbatch.support.TestStacks.runStackFile("spot-retries", new AwsAnswers()));
        var cromwell = cromwell((String) r.outputs().get("cromwellBackendConfig"));
        for (var backend : List.of("AWSBatch", "AWSBatchGPU")) {
            var attributes = cromwell.getConfig("backend.providers." + backend + ".config.default-runtime-attributes");
            assertThat(attributes.getInt("awsBatchRetryAttempts")).as(backend).isEqualTo(3);
            assertThat(attributes.getConfigList("awsBatchEvaluateOnExit")).as(backend)
                    .extracting(c -> c.root().unwrapped())
                    .containsExactly(Map.of("action", "RETRY", "onStatusReason", "Host EC2*"),
                            Map.of("action", "EXIT", "onReason", "*"));
        }
        // Every word here is shell-safe (EngineConfigsTest reads the line with a real shell).
        var snakemake = List.of(((String) r.outputs().get("snakemakeArgs")).split(" "));
        assertThat(snakemake.get(snakemake.indexOf("--aws-batch-spot-attempts") + 1)).isEqualTo("3");
        var high = arn(QUEUE, "genomics-batch-high-priority");
        assertThat((String) r.outputs().get("nextflowConfig")).contains("maxSpotAttempts = 3\n")
                .contains("    queue = { task.attempt > 1 && (task.previousException?.message?.startsWith('Host EC2') "
                        + "|| task.previousTrace?.queue == '" + high + "') ? '" + high + "' : '"
                        + arn(QUEUE, "genomics-batch-default") + "' }\n")
                .contains("    errorStrategy = { task.previousException?.message?.startsWith('Host EC2') ? 'retry' "
                        + ": 'terminate' }\n");
        // Snakemake's released plugin lacks the option, Cromwell before 91 the attributes: the plan says so.
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).startsWith("genomics-batch:engineSpotAttempts = 3: "
                + "snakemakeArgs pass --aws-batch-spot-attempts"));
        // Off (the tests' dev stack): no retry attributes, no option, Nextflow's 5 attempts and plain queue.
        var dev = stack("dev").outputs();
        assertThat(cromwell((String) dev.get("cromwellBackendConfig"))
                .hasPath("backend.providers.AWSBatch.config.default-runtime-attributes.awsBatchRetryAttempts")).isFalse();
        assertThat((String) dev.get("snakemakeArgs")).doesNotContain("spot");
        assertThat((String) dev.get("nextflowConfig")).contains("maxSpotAttempts = 5\n")
                .doesNotContain("errorStrategy").doesNotContain("previousException");
        assertThat(stack("dev").warnings()).noneSatisfy(w -> assertThat(w).contains("engineSpotAttempts"));
    }

    static com.typesafe.config.Config cromwell(String text) {
        return com.typesafe.config.ConfigFactory.parseString(text,
                com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(true).setIncluder(new NoIncludes()));
    }

    @Test
    void withAGpuQueueNextflowAndCromwellRouteGpuWorkToIt() {
        var gpuQueue = arn(QUEUE, "genomics-batch-gpu-queue");
        var r = succeeded(run("dev", Map.of("gpuMaxVcpus", "64")));
        assertThat(r.outputs()).containsEntry("gpuJobQueueArn", gpuQueue);
        assertThat((String) r.outputs().get("nextflowConfig"))
                .contains("withLabel: 'process_gpu' {\n        queue = '" + gpuQueue + "'\n        accelerator = 1\n");
        var cromwell = cromwell((String) r.outputs().get("cromwellBackendConfig"));
        assertThat(cromwell.getString("backend.providers.AWSBatchGPU.config.default-runtime-attributes.queueArn"))
                .isEqualTo(gpuQueue);
        assertThat(cromwell.getString("backend.providers.AWSBatch.config.default-runtime-attributes.queueArn"))
                .isEqualTo(arn(QUEUE, "genomics-batch-default"));
        // Without the GPU environment, no GPU routing at all.
        var dev = stack("dev");
        assertThat((String) dev.outputs().get("nextflowConfig")).doesNotContain("process_gpu");
        assertThat(cromwell((String) dev.outputs().get("cromwellBackendConfig")).getObject("backend.providers").keySet()).containsExactly("AWSBatch");
    }

    /**
     * Legacy us-east-1 bucket names (capitals, underscores) are AWS's to accept: jobs get access to
     * them, and one can hold the work directory (a legacy name there used to stop the program halfway).
     */
    @Test
    void legacyDataBucketNamesAreGrantedAndCanHoldTheWorkDirectory() {
        var r = succeeded(run("dev", Map.of("dataBucketNames", "[\"Legacy_Bucket_2016\",\"acme-genomics-results\"]",
                "workDirectory", "s3://Legacy_Bucket_2016/work")));
        assertThat(strings(statement(policy(r, "genomics-batch-job-role-data-buckets"), "ReadWriteDataObjects"),
                "Resource")).contains("arn:aws:s3:::Legacy_Bucket_2016/*", "arn:aws:s3:::acme-genomics-results/*");
        assertThat((String) r.outputs().get("nextflowConfig"))
                .contains("workDir = 's3://Legacy_Bucket_2016/work/nextflow/work'");
        assertThat(cromwell((String) r.outputs().get("cromwellBackendConfig"))
                .getString("backend.providers.AWSBatch.config.root"))
                .isEqualTo("s3://Legacy_Bucket_2016/work/cromwell-execution");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).startsWith("genomics-batch:dataBucketNames: "
                + "\"Legacy_Bucket_2016\" follows the legacy us-east-1 naming rules"));

        var legacyOnly = succeeded(run("dev", Map.of("dataBucketNames", "[\"Legacy_Bucket_2016\"]",
                "referenceBucketNames", "[\"Legacy.Reference_Data\"]")));
        assertThat((String) legacyOnly.outputs().get("nextflowConfig")).contains("s3://<work-bucket>/<prefix>/")
                .doesNotContain("Legacy_Bucket_2016");
        assertThat(strings(statement(policy(legacyOnly, "genomics-batch-job-role-reference-buckets"),
                "ReadReferenceObjects"), "Resource")).containsExactly("arn:aws:s3:::Legacy.Reference_Data/*");
    }

    /** Cromwell's own {@code include required(classpath("application"))} is not ours to resolve here. */
    static final class NoIncludes implements com.typesafe.config.ConfigIncluder,
            com.typesafe.config.ConfigIncluderClasspath {
        @Override
        public com.typesafe.config.ConfigIncluder withFallback(com.typesafe.config.ConfigIncluder fallback) {
            return this;
        }

        @Override
        public com.typesafe.config.ConfigObject include(com.typesafe.config.ConfigIncludeContext context, String what) {
            return com.typesafe.config.ConfigFactory.empty().root();
        }

        @Override
        public com.typesafe.config.ConfigObject includeResources(com.typesafe.config.ConfigIncludeContext context,
                                                                  String what) {
            return com.typesafe.config.ConfigFactory.empty().root();
        }
    }
}
