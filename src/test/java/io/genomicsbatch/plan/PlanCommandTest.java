package io.genomicsbatch.plan;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code target/genomics-batch plan ...} (the jar's command line): the offline plan, run as a user runs it. */
class PlanCommandTest {

    record Run(int status, String out, String err) {
    }

    /** A plan command; without --dir, in the tests' project (the fixture stacks), not the working directory. */
    static Run plan(String... args) {
        var list = List.of(args);
        if (!list.isEmpty() && List.of("plan", "policies").contains(list.get(0)) && list.stream().noneMatch(a -> a.startsWith("--dir"))
                && !list.contains("--version")) {
            var withDir = new java.util.ArrayList<>(List.of(args));
            withDir.addAll(List.of("--dir", TestStacks.PROJECT_DIR.toString()));
            args = withDir.toArray(String[]::new);
        }
        return command(args);
    }

    static Run command(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var status = PlanCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void textShowsTheTreeTheReviewInputsAndWhatIsOnlyKnownAfterDeploy() {
        var run = plan("plan", "--stack", "dev");
        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .contains("Plan for stack dev (project genomics-batch, region us-east-1)")
                .contains("Offline: nothing was sent to AWS")
                .contains("VPC: <lookup: the region's default VPC>  (placeholder")
                .contains("+ genomics-batch:index:BatchEnvironment  genomics-batch\n")
                .contains("  + aws:batch/computeEnvironment:ComputeEnvironment  genomics-batch-spot\n")
                .contains("computeResources.allocationStrategy = SPOT_CAPACITY_OPTIMIZED")
                .contains("computeResources.maxVcpus = 64")
                .contains("computeResources.instanceTypes = [c6i, m6i, r6i]")
                .contains("computeEnvironmentOrders[0].computeEnvironment = <after deploy: genomics-batch-spot.arn>")
                .contains("computeResources.launchTemplate.version = 1  (the template's latest version; 1 for a new stack)")
                .contains("priority = 1000")
                .contains("blockDeviceMappings[1].ebs.volumeSize = 100")
                .contains("policyArn = arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
                .contains("userData = multipart/mixed with parts [genomics-batch.sh] (")
                .containsPattern("unpacking \\[lib.sh \\d+, 00-host-env.sh \\d+, 10-ecs-agent.sh \\d+, 20-host-storage.sh \\d+, "
                        + "30-host-tools.sh \\d+, 40-storage-growth.sh \\d+, 50-scratch-cleanup.sh \\d+, 90-release-ecs.sh \\d+\\] "
                        + "bytes of script")
                .contains("instanceInitiatedShutdownBehavior = terminate")
                .contains("tags = {Environment=dev, ManagedBy=pulumi, Project=genomics-batch}")
                .contains("[ignoreChanges] [computeResources.desiredVcpus]")
                .contains("defaultJobQueueName = genomics-batch-dev-default");
    }

    @Test
    void prodLookupsAreAnsweredFromTheStackConfig() {
        var run = plan("plan", "--stack", "prod");
        assertThat(run.out()).contains("VPC: vpc-0a1b2c3d4e5f67890  (stack config (vpcId))")
                .contains("subnets: [subnet-0a1b2c3d4e5f67891, subnet-0a1b2c3d4e5f67892, subnet-0a1b2c3d4e5f67893]"
                        + "  (stack config (subnetIds))")
                .contains("[protect]");
    }

    @Test
    void eachDataSourceIsCalledOnce() {
        for (var stack : List.of("dev", "prod")) {
            var answers = TestStacks.answersFor(stack);
            TestStacks.succeeded(TestStacks.runStackFile(stack, answers));
            // The account-wide facts (partition, account, region) serve every policy from one call each.
            assertThat(answers.invokes()).as(stack).filteredOn(token -> token.startsWith("aws:index/"))
                    .containsExactlyInAnyOrder("aws:index/getPartition:getPartition", "aws:index/getCallerIdentity:getCallerIdentity",
                            "aws:index/getRegion:getRegion");
        }
    }

    @Test
    void jsonListsEveryResourceWithInputsOptionsAndTheOutputs() {
        var run = plan("plan", "--stack", "prod", "--format", "json");
        assertThat(run.status()).isZero();
        var doc = JsonParser.parseString(run.out()).getAsJsonObject();
        assertThat(doc.get("stack").getAsString()).isEqualTo("prod");
        assertThat(doc.get("offline").getAsBoolean()).isTrue();
        var resources = doc.getAsJsonArray("resources").asList().stream().map(e -> e.getAsJsonObject()).toList();
        // 23 of the environment, and prod's alerts: the topic's, one subscription, and the boot-loop stop's;
        // and its budget with the stop
        assertThat(resources).hasSize(23 + io.genomicsbatch.alerts.AlertsTest.ALERT_RESOURCES.size() + 1
                + io.genomicsbatch.alerts.AlertsTest.BOOT_LOOP_RESOURCES.size()
                + io.genomicsbatch.budget.BudgetTest.BUDGET_RESOURCES.size());
        var spot = resources.stream().filter(r -> r.get("name").getAsString().equals("genomics-batch-spot"))
                .findFirst().orElseThrow();
        assertThat(spot.get("type").getAsString()).isEqualTo("aws:batch/computeEnvironment:ComputeEnvironment");
        assertThat(spot.get("parent").getAsString()).isEqualTo("genomics-batch");
        assertThat(spot.get("protect").getAsBoolean()).isTrue();
        assertThat(spot.getAsJsonObject("inputs").getAsJsonObject("computeResources").get("maxVcpus").getAsInt())
                .isEqualTo(1024);
        var outputs = new java.util.ArrayList<>(io.genomicsbatch.EnvironmentOutputs.CONTRACT.stream().filter(s -> s.onlyWhen().isEmpty()).map(io.genomicsbatch.EnvironmentOutputs.Spec::name).toList());
        outputs.add("alertTopicArn"); // prod's alertEmails
        assertThat(doc.getAsJsonObject("outputs").keySet()).containsExactlyElementsOf(outputs);
        assertThat(doc.getAsJsonObject("outputs").getAsJsonArray("subnetIds")).hasSize(3);
    }

    @Test
    void userDataShowsTheScriptsEachLaunchTemplatesHostsRun() {
        var result = plan("plan", "--stack", "dev", "--format", "user-data");
        assertThat(result.status()).isZero();
        var out = result.out();
        assertThat(out).startsWith("# genomics-batch-host-launch-template: multipart/mixed with parts [genomics-batch.sh]");
        var headers = java.util.regex.Pattern.compile("(?m)^# ---- (\\S+) ----$").matcher(out).results()
                .map(m -> m.group(1)).toList();
        var expected = new java.util.ArrayList<>(List.of(io.genomicsbatch.compute.UserData.LIBRARY));
        expected.addAll(io.genomicsbatch.compute.UserData.PARTS);
        assertThat(headers).containsExactlyElementsOf(expected);
        // The dev stack's own values, in the scripts as the hosts get them.
        assertThat(out).contains("GB_TAG_VALUE=genomics-batch-dev\n", "GB_INITIAL_GIB=100\n",
                "-----BEGIN PGP PUBLIC KEY BLOCK-----", "systemctl start --no-block ecs.service\n");
    }

    @Test
    void mermaidDrawsTheQueuesAndTheirEnvironmentsInOrder(@TempDir Path dir) throws IOException {
        var withSpillover = plan("plan", "--stack", "dev", "--format", "mermaid").out();
        assertThat(withSpillover).startsWith("flowchart LR\n")
                .contains("genomics_batch_default -->|1| genomics_batch_spot\n")
                .contains("genomics_batch_default -->|2| genomics_batch_on_demand\n")
                .contains("genomics_batch_high_priority -->|1| genomics_batch_on_demand\n")
                .contains("genomics_batch_high_priority -->|2| genomics_batch_spot\n")
                // A head job never lands on Spot, spillover or not.
                .contains("genomics_batch_head_job -->|1| genomics_batch_on_demand\n")
                .doesNotContain("genomics_batch_head_job -->|2|");

        TestStacks.project(dir, "solo", "config:\n  aws:region: eu-west-1\n  genomics-batch:queueSpillover: false\n");
        var without = plan("plan", "--stack", "solo", "--format", "mermaid", "--dir", dir.toString()).out();
        assertThat(without.lines().filter(l -> l.contains("-->"))).containsExactly(
                "  genomics_batch_default -->|1| genomics_batch_spot",
                "  genomics_batch_high_priority -->|1| genomics_batch_on_demand",
                "  genomics_batch_head_job -->|1| genomics_batch_on_demand");
    }

    @Test
    void invalidConfigFailsWithTheProgramsMessageAndNoPlan(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "bad", "config:\n  genomics-batch:spotBidPercentage: 150\n  genomics-batch:vpcId: vpc-1\n");
        var run = plan("plan", "--stack", "bad", "--dir", dir.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        // The same message the real program gives for the same config.
        var program = TestStacks.run("bad", Map.of("spotBidPercentage", "150", "vpcId", "vpc-1"));
        var expected = PlanEngine.programMessage(program.exceptions().get(0));
        assertThat(run.err()).isEqualTo("error: " + expected + "\n");
        assertThat(expected).contains("genomics-batch:spotBidPercentage: got 150")
                .contains("genomics-batch:vpcId: got \"vpc-1\"");
    }

    @Test
    void unknownStackAndBadUsageExitWithStatusTwo() {
        var unknown = plan("plan", "--stack", "staging");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).contains("unknown stack \"staging\"").contains("dev, efs, fsx, prod");

        assertThat(plan("plan").status()).isEqualTo(2);
        assertThat(plan("plan", "--stack", "dev", "--format", "yaml").err()).contains("unknown format \"yaml\"");
        assertThat(plan("deploy").status()).isEqualTo(2);
        assertThat(plan("plan", "--help").out()).startsWith("usage: target/genomics-batch plan");
    }

    @Test
    void withoutDirThePlanReadsTheWorkingDirectory() {
        var run = command("plan", "--stack", "no-such-stack");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("unknown stack \"no-such-stack\": no Pulumi.no-such-stack.yaml in the current directory");
    }

    @Test
    void helpIsOutputAndSuccessAndMistypedCommandsSayWhatWasWrong() {
        for (var help : List.of(new String[]{"--help"}, new String[]{"-h"}, new String[]{"help", "plan"},
                new String[]{"plan", "--help"}, new String[]{"plan", "--stack=dev", "-h"})) {
            var run = plan(help);
            assertThat(run.status()).as(String.join(" ", help)).isZero();
            assertThat(run.out()).startsWith("usage: ");
            assertThat(run.err()).isEmpty();
        }
        var deploy = plan("deploy");
        assertThat(deploy.status()).isEqualTo(2);
        assertThat(deploy.err()).startsWith("unknown command \"deploy\"");
        var noValue = plan("plan", "--stack", "--format", "json");
        assertThat(noValue.status()).isEqualTo(2);
        assertThat(noValue.err()).startsWith("missing value for --stack");
        var positional = plan("plan", "dev");
        assertThat(positional.status()).isEqualTo(2);
        assertThat(positional.err()).startsWith("unexpected argument \"dev\"; did you mean --stack dev?");
    }

    /** Mistakes the Pulumi CLI would accept silently, or refuse, found before planning. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> stackFileMistakes() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("near-miss namespace",
                        "config:\n  aws:region: us-east-1\n  genomics_batch:spotMaxVcpus: 8\n", 1,
                        "genomics_batch:spotMaxVcpus: namespace \"genomics_batch\" is not this project's"),
                org.junit.jupiter.params.provider.Arguments.of("config block forgotten",
                        "aws:region: us-east-1\ngenomics-batch:spotMaxVcpus: 8\n", 1,
                        "unknown top-level keys aws:region, genomics-batch:spotMaxVcpus; a stack file holds config,"),
                org.junit.jupiter.params.provider.Arguments.of("unknown top-level key",
                        "config:\n  aws:region: us-east-1\nsecretsprovidr: awskms://x\n", 1,
                        "unknown top-level key secretsprovidr;"),
                org.junit.jupiter.params.provider.Arguments.of("bare key",
                        "config:\n  aws:region: us-east-1\n  spotMaxVcpus: 8\n", 1,
                        "config key spotMaxVcpus without a namespace; the Pulumi CLI refuses bare keys in a stack file:"
                                + " write genomics-batch:spotMaxVcpus"),
                // SnakeYAML would keep the last of two values; the CLI (gopkg.in/yaml.v3) refuses the file.
                org.junit.jupiter.params.provider.Arguments.of("key given twice",
                        "config:\n  aws:region: us-east-1\n  genomics-batch:spotMaxVcpus: 8\n"
                                + "  genomics-batch:onDemandMaxVcpus: 4\n  genomics-batch:spotMaxVcpus: 16\n", 1,
                        "Pulumi.mistake.yaml: key \"genomics-batch:spotMaxVcpus\" in config appears twice (lines 3"
                                + " and 5); the Pulumi CLI refuses a file with a key given twice: keep one"),
                org.junit.jupiter.params.provider.Arguments.of("config block given twice",
                        "config:\n  aws:region: us-east-1\nconfig:\n  genomics-batch:protect: true\n", 1,
                        "Pulumi.mistake.yaml: key \"config\" at the top level appears twice (lines 1 and 3)"),
                org.junit.jupiter.params.provider.Arguments.of("key given twice in a list item",
                        "config:\n  aws:region: us-east-1\n  genomics-batch:dataBucketNames:\n    - a: 1\n      a: 2\n", 1,
                        "key \"a\" in config.genomics-batch:dataBucketNames[] appears twice (lines 4 and 5)"),
                // The AWS provider skips region validation: a typo would fail halfway through `pulumi up`.
                org.junit.jupiter.params.provider.Arguments.of("region typo",
                        "config:\n  aws:region: eu-west1\n", 1,
                        "aws:region: got \"eu-west1\"; not an AWS region (AWS region list of "));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("stackFileMistakes")
    void stackFileMistakesAreRefusedWithTheirCause(String what, String yaml, int status, String message,
                                                  @TempDir Path dir) throws IOException {
        TestStacks.project(dir, "mistake", yaml);
        var run = plan("plan", "--stack", "mistake", "--dir", dir.toString());
        assertThat(run.status()).isEqualTo(status);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(message);
    }

    @Test
    void yamlScalarsAreReadAsThePulumiCliReadsThem(@TempDir Path dir) throws IOException {
        // YAML 1.1 would make `yes` a boolean; the CLI (YAML 1.2) passes the text, which the program refuses.
        TestStacks.project(dir, "yes", "config:\n  aws:region: us-east-1\n  genomics-batch:protect: yes\n");
        var run = plan("plan", "--stack", "yes", "--dir", dir.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("genomics-batch:protect: got \"yes\"");
        Files.writeString(dir.resolve("Pulumi.true.yaml"), "config:\n  aws:region: us-east-1\n  genomics-batch:protect: True\n");
        assertThat(plan("plan", "--stack", "true", "--dir", dir.toString()).status()).isZero();
    }

    @Test
    void aConfigKeyDeclaredTwiceInPulumiYamlIsRefused(@TempDir Path dir) throws IOException {
        var project = Files.readString(TestStacks.PROJECT_DIR.resolve("Pulumi.yaml"));
        var first = project.lines().toList().indexOf("  protect:") + 1;
        assertThat(first).isPositive();
        var doubled = project + "  protect:\n    type: boolean\n    default: true\n";
        Files.writeString(dir.resolve("Pulumi.yaml"), doubled);
        Files.writeString(dir.resolve("Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
        var run = plan("plan", "--stack", "dev", "--dir", dir.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("Pulumi.yaml: key \"protect\" in config appears twice (lines " + first + " and "
                + (doubled.lines().count() - 2) + ")");
    }

    @Test
    void anotherProjectsDirectoryIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Pulumi.yaml"), "name: web-shop\nruntime: nodejs\n");
        Files.writeString(dir.resolve("Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
        var run = plan("plan", "--stack", "dev", "--dir", dir.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("is the project \"web-shop\", not genomics-batch");
        var empty = plan("plan", "--stack", "dev", "--dir", dir.resolve("nowhere").toString());
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err()).contains("no Pulumi.yaml in");
    }

    @Test
    void anUnsetRegionOrMissingConfigBlockIsAWarningInThePlan(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "noregion", "config:\n  genomics-batch:spotMaxVcpus: 8\n");
        var run = plan("plan", "--stack", "noregion", "--dir", dir.toString(), "--format", "json");
        assertThat(run.status()).isZero();
        var warnings = JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonArray("warnings");
        assertThat(warnings.asList()).extracting(com.google.gson.JsonElement::getAsString)
                .anySatisfy(w -> assertThat(w).startsWith("aws:region is not set in Pulumi.noregion.yaml"));

        Files.writeString(dir.resolve("Pulumi.empty.yaml"), "");
        var empty = plan("plan", "--stack", "empty", "--dir", dir.toString());
        assertThat(empty.status()).isZero();
        assertThat(empty.out()).contains("Pulumi.empty.yaml has no `config:` block");
    }

    @Test
    void theFirstRunGapsAreWarningsOfThePlan(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "bare", "config:\n  aws:region: us-east-1\n");
        var bare = plan("plan", "--stack", "bare", "--dir", dir.toString());
        assertThat(bare.status()).isZero();
        var warnings = bare.out().substring(bare.out().indexOf("\nWarnings:\n"), bare.out().indexOf("\nResources ("));
        assertThat(warnings).contains("  ! genomics-batch:dataBucketNames is empty: jobs may read the reference buckets")
                .contains("  ! genomics-batch:workDirectory is not set: nextflowConfig, cromwellBackendConfig and "
                        + "snakemakeArgs carry the placeholder s3://<work-bucket>/<prefix>");

        TestStacks.project(Files.createDirectories(dir.resolve("ready")), "ready", """
                config:
                  aws:region: us-east-1
                  genomics-batch:dataBucketNames: [acme-raw-reads, acme-work]
                  genomics-batch:workDirectory: s3://acme-work/runs
                """);
        var ready = plan("plan", "--stack", "ready", "--dir", dir.resolve("ready").toString());
        assertThat(ready.status()).isZero();
        assertThat(ready.out()).doesNotContain("Warnings:").contains("workDirectory = s3://acme-work/runs\n")
                .contains("submitterPolicyArn = <after deploy: genomics-batch-submitter-policy.arn>");
    }

    /** The plan is the real program: it registers what the mock-engine tests see, with the same options. */
    @Test
    void planResourcesEqualThoseTheMockEngineTestsSee() {
        for (var stack : List.of("dev", "prod")) {
            var files = io.genomicsbatch.config.StackFiles.load(TestStacks.PROJECT_DIR, stack);
            var plan = PlanEngine.run(stack, () -> files, f -> ctx -> io.genomicsbatch.App.deploy(ctx, f.source()));
            var tested = TestStacks.succeeded(TestStacks.runStackFile(stack, TestStacks.answersFor(stack)));
            assertThat(plan.resources()).extracting(PlanCommandTest::shape)
                    .containsExactlyElementsOf(tested.resources().stream().map(PlanCommandTest::shape).toList());
            // Inputs that no lookup or AWS-assigned value feeds are identical.
            for (var name : List.of("genomics-batch-host-launch-template", "genomics-batch-instance-role")) {
                assertThat(plan.resource(name).orElseThrow().inputs())
                        .isEqualTo(TestStacks.resource(tested, name).inputs());
            }
            assertThat(plan.outputs().keySet()).containsExactlyElementsOf(tested.outputs().keySet());
        }
    }

    /** Type, name, parent, options and input keys (values differ: the two answer lookups differently). */
    static List<Object> shape(PlannedResource r) {
        return List.of(r.type(), r.name(), r.parent(), r.protect(), r.dependsOn(), r.ignoreChanges(), r.aliases(),
                new java.util.TreeSet<>(r.inputs().keySet()));
    }

    @Test
    void jsonInputsAreTheProvidersInputs() {
        JsonObject doc = JsonParser.parseString(plan("plan", "--stack", "dev", "--format", "json").out()).getAsJsonObject();
        var queue = doc.getAsJsonArray("resources").asList().stream().map(e -> e.getAsJsonObject())
                .filter(r -> r.get("name").getAsString().equals("genomics-batch-default")).findFirst().orElseThrow();
        var orders = queue.getAsJsonObject("inputs").getAsJsonArray("computeEnvironmentOrders");
        assertThat(orders.get(0).getAsJsonObject().get("computeEnvironment").getAsString())
                .isEqualTo("<after deploy: genomics-batch-spot.arn>");
    }

    // ---- the command line as the README and --help describe it --------------------------------

    /** The project's own version, as the pom declares it (not a copy of the output). */
    static String pomVersion() throws Exception {
        var pom = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile()).getDocumentElement();
        var children = pom.getChildNodes();
        for (var i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeName().equals("version")) {
                return children.item(i).getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml declares no version");
    }

    @Test
    void helpShowsTheLauncherCommandItsJavaEquivalentEveryFormatAndTheExitStatuses() {
        var help = plan("--help").out();
        var formats = java.util.Arrays.stream(PlanRenderer.Format.values())
                .map(f -> f.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .collect(java.util.stream.Collectors.joining("|"));
        assertThat(help).startsWith("usage: target/genomics-batch plan --stack NAME [--format " + formats
                        + "] [--dir DIR]\n")
                .contains("target/genomics-batch --version\n")
                .contains("`java -jar target/genomics-batch.jar` takes the same arguments")
                .contains("--stack=NAME")
                .containsPattern("(?m)^  0  the plan")
                .containsPattern("(?m)^  1  the stack's config or a stack file is wrong")
                .containsPattern("(?m)^  2  usage error");
    }

    @Test
    void versionPrintsThePomsVersion() throws Exception {
        var expected = "genomics-batch " + pomVersion() + "\n";
        for (var args : List.of(new String[]{"--version"}, new String[]{"version"},
                new String[]{"plan", "--version"})) {
            var run = plan(args);
            assertThat(run.status()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).isEqualTo(expected);
            assertThat(run.err()).isEmpty();
        }
        var extra = plan("--version", "--stack", "dev");
        assertThat(extra.status()).isEqualTo(2);
        assertThat(extra.err()).startsWith("unexpected argument \"--stack\"");
    }

    @Test
    void everyOptionTakesItsValueAfterAnEqualsSignToo(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "lab1", "config:\n  aws:region: eu-west-1\n  genomics-batch:spotMaxVcpus: 8\n");
        var spaced = plan("plan", "--stack", "lab1", "--format", "json", "--dir", dir.toString());
        var joined = plan("plan", "--stack=lab1", "--format=json", "--dir=" + dir);
        assertThat(joined.status()).isZero();
        assertThat(joined.err()).isEmpty();
        assertThat(JsonParser.parseString(joined.out()).getAsJsonObject().get("stack").getAsString()).isEqualTo("lab1");
        assertThat(joined.out()).isEqualTo(spaced.out());
        // Mixed forms, and a stack name with a dot.
        assertThat(plan("plan", "--stack=lab1", "--dir", dir.toString(), "--format=mermaid").out())
                .isEqualTo(plan("plan", "--stack", "lab1", "--dir", dir.toString(), "--format", "mermaid").out());
        var odd = plan("plan", "--stack=a.b", "--dir=" + dir);
        assertThat(odd.err()).contains("unknown stack \"a.b\"");
    }

    /** Usage errors: 2, with what was wrong first and the usage after it, nothing on stdout. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> usageErrors() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(List.of(), "usage: "),
                org.junit.jupiter.params.provider.Arguments.of(List.of("deploy"), "unknown command \"deploy\""),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan"), "missing --stack"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "--stak", "dev"), "unknown option --stak\n"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "--stak=dev"), "unknown option --stak\n"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "--stack"), "missing value for --stack\n"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "--stack="), "missing value for --stack\n"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "--stack", "--dir", "."),
                        "missing value for --stack\n"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "--stack=dev", "--format=yaml"),
                        "unknown format \"yaml\"\n"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "--help=yes"), "--help takes no value\n"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "dev"),
                        "unexpected argument \"dev\"; did you mean --stack dev?\n"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "--stack", "../dev"),
                        "invalid stack name \"../dev\": Pulumi stack names have 1 to 100 letters, digits,"),
                org.junit.jupiter.params.provider.Arguments.of(List.of("plan", "--stack=acme/genomics/dev"),
                        "invalid stack name \"acme/genomics/dev\""));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("usageErrors")
    void usageErrorsExitWithStatusTwo(List<String> args, String message) {
        var run = plan(args.toArray(String[]::new));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(message).endsWith(PlanCommand.USAGE);
    }

    @Test
    void noSuchStackOrProjectIsAUsageErrorThatListsTheStacksAndPointsOutYmlFiles(@TempDir Path dir)
            throws IOException {
        TestStacks.project(dir, "dev", "config:\n  aws:region: us-east-1\n");
        Files.writeString(dir.resolve("Pulumi.lab1.yml"), "config:\n  aws:region: us-east-1\n");
        var run = plan("plan", "--stack=staging", "--dir=" + dir);
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: unknown stack \"staging\": no Pulumi.staging.yaml in " + dir
                + "; stacks here: dev; not read by Pulumi (rename to .yaml): Pulumi.lab1.yml\n");
        var empty = plan("plan", "--stack=dev", "--dir=" + dir.resolve("nowhere"));
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err()).startsWith("error: no Pulumi.yaml in " + dir.resolve("nowhere"));
    }

    @Test
    void aYmlStackFileIsAConfigErrorThatSaysToRenameIt(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "dev", "config:\n  aws:region: us-east-1\n");
        Files.delete(dir.resolve("Pulumi.dev.yaml"));
        Files.writeString(dir.resolve("Pulumi.lab1.yml"), "config:\n  aws:region: us-east-1\n");
        var run = plan("plan", "--stack", "lab1", "--dir", dir.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        var yml = dir.resolve("Pulumi.lab1.yml");
        assertThat(run.err()).isEqualTo("error: " + yml + " is not read by Pulumi: with the project file Pulumi.yaml,"
                + " Pulumi reads stack lab1's config from Pulumi.lab1.yaml only; rename it: mv " + yml + " "
                + dir.resolve("Pulumi.lab1.yaml") + "\n");

        // Next to a Pulumi.lab1.yaml, the .yml file is ignored, and the plan says so.
        Files.writeString(dir.resolve("Pulumi.lab1.yaml"), "config:\n  aws:region: us-east-1\n");
        var both = plan("plan", "--stack", "lab1", "--dir", dir.toString());
        assertThat(both.status()).isZero();
        assertThat(both.out()).contains("! Pulumi.lab1.yml is ignored: Pulumi reads stack lab1's config from"
                + " Pulumi.lab1.yaml only\n");
    }

    /** Config-file errors: 1, the message naming the stack's real file. */
    @Test
    void configFileErrorsExitWithStatusOneAndNameTheRealFile(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "lab1", "config:\n  genomics-batch:spotMaxVcpus: -1\n");
        var invalid = plan("plan", "--stack", "lab1", "--dir", dir.toString());
        assertThat(invalid.status()).isEqualTo(1);
        assertThat(invalid.out()).isEmpty();
        assertThat(invalid.err()).startsWith("error: invalid stack configuration (1 problem); nothing was created."
                        + " Fix these in Pulumi.lab1.yaml or with `pulumi config set --stack lab1`:\n")
                .contains("genomics-batch:spotMaxVcpus: got -1").doesNotContain("<stack>");

        var lab1 = dir.resolve("Pulumi.lab1.yaml");
        Files.writeString(lab1, "config: [unclosed\n");
        var unparsable = plan("plan", "--stack", "lab1", "--dir", dir.toString());
        assertThat(unparsable.status()).isEqualTo(1);
        assertThat(unparsable.err()).startsWith("error: " + lab1 + " is not valid YAML: ");

        Files.writeString(lab1, "- just\n- a list\n");
        var shape = plan("plan", "--stack", "lab1", "--dir", dir.toString());
        assertThat(shape.status()).isEqualTo(1);
        assertThat(shape.err()).isEqualTo("error: " + lab1 + ": expected a YAML mapping at the top level\n");

        Files.writeString(lab1, "config:\n  aws:region: us-east-1\n");
        Files.writeString(dir.resolve("Pulumi.yaml"), "name: genomics-batch\nconfig: [unclosed\n");
        var project = plan("plan", "--stack", "lab1", "--dir", dir.toString());
        assertThat(project.status()).isEqualTo(1);
        assertThat(project.err()).startsWith("error: " + dir.resolve("Pulumi.yaml") + " is not valid YAML: ");
    }

    @Test
    void aStackFileThatIsNotUtf8IsAConfigError(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "lab1", "");
        var lab1 = dir.resolve("Pulumi.lab1.yaml");
        // Latin-1 "é": YAML, and the Pulumi CLI, read UTF-8 only.
        Files.write(lab1, "config:\n  genomics-batch:awsCliUrl: https://caf\u00e9.example\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        var run = plan("plan", "--stack", "lab1", "--dir", dir.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: " + lab1 + " is not valid YAML: not UTF-8 text\n");
    }

    // ---- unique logical names: every reference in the plan names one resource -----------------

    static final java.util.regex.Pattern AFTER_DEPLOY = java.util.regex.Pattern.compile("<after deploy: ([^>]+)\\.(\\w+)>");

    @Test
    void withEveryQueueTheGraphHasOneNodePerResourceAndNoSelfLoop(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "lab1", "config:\n  aws:region: us-east-1\n  genomics-batch:gpuMaxVcpus: 64\n");
        var mermaid = plan("plan", "--stack", "lab1", "--format", "mermaid", "--dir", dir.toString()).out();
        var nodes = java.util.regex.Pattern.compile("(?m)^  (\\w+)\\[").matcher(mermaid).results()
                .map(m -> m.group(1)).toList();
        assertThat(nodes).doesNotHaveDuplicates().hasSize(7); // 4 queues, 3 environments
        var edges = java.util.regex.Pattern.compile("(?m)^  (\\w+) -->\\|\\d+\\| (\\w+)$").matcher(mermaid).results()
                .map(m -> List.of(m.group(1), m.group(2))).toList();
        assertThat(edges).isNotEmpty().allSatisfy(e -> {
            assertThat(e.get(0)).isNotEqualTo(e.get(1));
            assertThat(nodes).contains(e.get(0), e.get(1));
        });
        // The GPU queue, a node of its own, uses the GPU environment only.
        assertThat(mermaid).contains("  genomics_batch_gpu_queue[\"queue genomics-batch-lab1-gpu<br/>priority 500\"]\n")
                .contains("  genomics_batch_gpu[(\"genomics-batch-gpu<br/>EC2 BEST_FIT_PROGRESSIVE<br/>0-64 vCPUs\")]\n");
        assertThat(edges).filteredOn(e -> e.get(0).equals("genomics_batch_gpu_queue"))
                .containsExactly(List.of("genomics_batch_gpu_queue", "genomics_batch_gpu"));
    }

    @Test
    void everyAfterDeployReferenceNamesExactlyOneResource(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "lab1", "config:\n  aws:region: us-east-1\n  genomics-batch:gpuMaxVcpus: 64\n"
                + "  genomics-batch:spotAllocationStrategy: BEST_FIT\n  genomics-batch:s3GatewayEndpoint: true\n");
        var json = plan("plan", "--stack", "lab1", "--format", "json", "--dir", dir.toString()).out();
        var doc = JsonParser.parseString(json).getAsJsonObject();
        var names = doc.getAsJsonArray("resources").asList().stream()
                .map(r -> r.getAsJsonObject().get("name").getAsString()).toList();
        var references = AFTER_DEPLOY.matcher(json).results().map(m -> m.group(1)).distinct().toList();
        assertThat(references).contains("genomics-batch-gpu", "genomics-batch-gpu-queue");
        assertThat(references).allSatisfy(name -> assertThat(names).as(name).containsOnlyOnce(name));
        // The GPU queue's outputs and the GPU environment's are told apart.
        var outputs = doc.getAsJsonObject("outputs");
        assertThat(outputs.get("gpuJobQueueArn").getAsString()).isEqualTo("<after deploy: genomics-batch-gpu-queue.arn>");
        assertThat(outputs.get("gpuComputeEnvironmentArn").getAsString()).isEqualTo("<after deploy: genomics-batch-gpu.arn>");
    }

    @Test
    void theTextAndJsonPlansShowTheGpuQueuesAlias(@TempDir Path dir) throws IOException {
        TestStacks.project(dir, "lab1", "config:\n  aws:region: us-east-1\n  genomics-batch:gpuMaxVcpus: 64\n");
        var text = plan("plan", "--stack", "lab1", "--dir", dir.toString()).out();
        assertThat(text).containsPattern("(?s)\\+ aws:batch/jobQueue:JobQueue  genomics-batch-gpu-queue\n.*?"
                + "\\[aliases\\] \\[genomics-batch-gpu\\]  \\(earlier names: `pulumi up` renames the existing resource,"
                + " no replacement\\)\n");
        assertThat(text.lines().filter(l -> l.contains("[aliases]"))).hasSize(1);
        var queue = JsonParser.parseString(plan("plan", "--stack", "lab1", "--format", "json", "--dir", dir.toString()).out())
                .getAsJsonObject().getAsJsonArray("resources").asList().stream().map(e -> e.getAsJsonObject())
                .filter(r -> r.get("name").getAsString().equals("genomics-batch-gpu-queue")).findFirst().orElseThrow();
        assertThat(queue.getAsJsonArray("aliases").asList()).extracting(com.google.gson.JsonElement::getAsString)
                .containsExactly("genomics-batch-gpu");
    }

    @Test
    void onlyARefusedConfigExitsOneAnyOtherFailureOfTheProgramThree() {
        var refused = new io.genomicsbatch.config.InvalidConfigException(List.of(
                new io.genomicsbatch.config.ConfigProblem(List.of(io.genomicsbatch.config.ConfigKey.PROTECT),
                        "genomics-batch:protect: got \"yes\"")));
        assertThat(PlanCommand.refusedConfig(new RuntimeException("wrapped", refused))).isTrue();
        assertThat(PlanCommand.refusedConfig(new RuntimeException("a bug", new NullPointerException()))).isFalse();
        assertThat(PlanCommand.USAGE).containsPattern("(?m)^  3  the program failed");
    }

    @Test
    void policiesPrintWhatTheBroughtRolesNeedAsJson() {
        var run = plan("policies", "--stack", "restricted");
        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        var export = JsonParser.parseString(run.out()).getAsJsonObject();
        assertThat(export.keySet()).containsExactly("instanceRole", "jobRole", "headJobRole");
        var job = export.getAsJsonObject("jobRole");
        assertThat(job.get("arn").getAsString()).isEqualTo("arn:aws:iam::123456789012:role/genomics/acme-batch-jobs");
        // Documents as JSON (not text), with the account of the brought roles: what an account team can use.
        assertThat(job.getAsJsonObject("trustPolicy").toString()).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":"
                + "\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\"}}}]}");
        assertThat(job.getAsJsonObject("inlinePolicies").keySet()).containsExactly("data-buckets", "reference-buckets");
        assertThat(export.getAsJsonObject("headJobRole").getAsJsonObject("inlinePolicies").keySet())
                .containsExactly("batch", "data-buckets", "reference-buckets");
        var instance = export.getAsJsonObject("instanceRole");
        assertThat(instance.get("arn").getAsString()).isEqualTo("<lookup: the role of instance profile acme-batch-hosts>");
        assertThat(instance.getAsJsonArray("managedPolicyArns").toString()).isEqualTo("[\"arn:aws:iam::aws:policy/"
                + "service-role/AmazonEC2ContainerServiceforEC2Role\",\"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore\"]");
        assertThat(run.out()).doesNotContain("<after deploy").doesNotContain("<lookup: AWS account ID>");
        // The plan of the same stack shows where the account ID came from.
        assertThat(plan("plan", "--stack", "restricted").out()).contains("account ID: 123456789012  (stack config "
                + "(the account of the roles it brings: instanceProfileArn, jobRoleArn, headJobRoleArn))");
    }

    @Test
    void policiesWriteOneIamDocumentPerFile(@TempDir Path dir) throws IOException {
        var out = dir.resolve("for-the-account-team");
        var run = plan("policies", "--stack", "restricted", "--out", out.toString());
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("wrote " + out.resolve("policies.json") + "\n")
                .contains("wrote " + out.resolve("headJobRole").resolve("batch.json") + "\n");
        var batch = JsonParser.parseString(Files.readString(out.resolve("headJobRole").resolve("batch.json")))
                .getAsJsonObject();
        assertThat(batch.get("Version").getAsString()).isEqualTo("2012-10-17");
        assertThat(Files.readAllLines(out.resolve("instanceRole").resolve("managed-policy-arns.txt")))
                .containsExactly("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
                        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        assertThat(Files.readString(out.resolve("jobRole").resolve("managed-policy-arns.txt"))).isEmpty();
        assertThat(JsonParser.parseString(Files.readString(out.resolve("policies.json"))))
                .isEqualTo(JsonParser.parseString(plan("policies", "--stack", "restricted").out()));
        // A file where the directory should be: the policies cannot be written.
        var blocked = dir.resolve("file");
        Files.writeString(blocked, "");
        var cannot = plan("policies", "--stack", "restricted", "--out", blocked.toString());
        assertThat(cannot.status()).isEqualTo(1);
        assertThat(cannot.err()).startsWith("error: cannot write the policies to " + blocked);
    }

    @Test
    void policiesOfAStackThatBringsNoRoleAreEmptyAndUsageErrorsStayUsageErrors(@TempDir Path dir) throws IOException {
        var none = plan("policies", "--stack", "dev");
        assertThat(none.status()).isZero();
        assertThat(none.out()).isEqualTo("{}\n");
        assertThat(none.err()).startsWith("stack dev brings no role (instanceProfileArn, jobRoleArn and headJobRoleArn "
                + "are unset)");
        var format = plan("policies", "--stack", "restricted", "--format", "json");
        assertThat(format.status()).isEqualTo(2);
        assertThat(format.err()).startsWith("unknown option --format for policies");
        assertThat(plan("plan", "--stack", "dev", "--out", "x").err()).startsWith("unknown option --out\n");
        assertThat(plan("policies").err()).startsWith("missing --stack");
        assertThat(plan("deploy").err()).startsWith("unknown command \"deploy\": the commands are plan and policies");
        var bad = plan("policies", "--stack", "bad", "--dir", TestStacks.project(dir, "bad",
                "config:\n  genomics-batch:jobRoleArn: arn:aws:iam::123456789012:user/jobs\n").toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("genomics-batch:jobRoleArn: got \"arn:aws:iam::123456789012:user/jobs\"; this ARN "
                + "names a user, and jobs run as a role; expected a role ARN");
    }
}
