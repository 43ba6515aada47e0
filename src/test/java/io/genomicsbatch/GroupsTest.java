package io.genomicsbatch;

import com.typesafe.config.ConfigFactory;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.engines.EngineConfigs;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.genomicsbatch.support.AwsAnswers.arn;
import static io.genomicsbatch.support.AwsAnswers.id;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.invalidConfig;
import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups (issue 20, docs/shared-labs.md): a compute environment, a queue and a launch template per group, tagged
 * with it; the outputs and engine configs per group; removing one group; the bad input refused.
 */
@SuppressWarnings("unchecked")
class GroupsTest {

    static final String CE = "aws:batch/computeEnvironment:ComputeEnvironment";
    static final String QUEUE = "aws:batch/jobQueue:JobQueue";
    static final String TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
    static final String GROUP_TAG = "genomics-batch-group";
    static final Path FIXTURE = TestStacks.FIXTURES.resolve("groups").resolve("Pulumi.groups.yaml");
    /** The fixture's groups, as it writes them. */
    static final List<String> NAMES = List.of("cancer-genomics", "rare_disease", "Microbiome");

    static Map<String, String> fixtureValues;
    static Recorder.Recording groups;

    @BeforeAll
    static void planTheFixture(@TempDir Path dir) throws IOException {
        var source = StackFiles.load(TestStacks.project(dir, "groups", Files.readString(FIXTURE)), "groups").source();
        fixtureValues = new TreeMap<>();
        source.keys().forEach(k -> fixtureValues.put(k, source.get(k).orElseThrow()));
        groups = succeeded(TestStacks.run("groups", ConfigSource.of(fixtureValues), new AwsAnswers()));
    }

    static Recorder.Recording with(String groupsJson) {
        var values = new TreeMap<>(fixtureValues);
        values.put("groups", groupsJson);
        return TestStacks.run("groups", ConfigSource.of(values), new AwsAnswers());
    }

    static int number(Object value) {
        return ((Number) value).intValue();
    }

    @Test
    void eachGroupHasAComputeEnvironmentOfItsCapacityAndCapOnTheCpuInstanceTypes() {
        var expected = Map.of("cancer-genomics", List.of("SPOT", 512), "rare_disease", List.of("EC2", 128),
                "Microbiome", List.of("SPOT", 64)); // spot omitted: true
        var spot = resource(groups, "genomics-batch-spot");
        for (var name : NAMES) {
            var ce = resource(groups, "genomics-batch-group-environment-" + name);
            assertThat(ce.type()).isEqualTo(CE);
            assertThat(input(ce, "computeEnvironmentNamePrefix")).isEqualTo("genomics-batch-groups-group-" + name + "-");
            assertThat(List.of(input(ce, "computeResources", "type"), number(input(ce, "computeResources", "maxVcpus"))))
                    .as(name).isEqualTo(expected.get(name));
            assertThat(number(input(ce, "computeResources", "minVcpus"))).isZero();
            assertThat(input(ce, "computeResources", "instanceTypes"))
                    .isEqualTo(input(spot, "computeResources", "instanceTypes"));
            var strategy = expected.get(name).get(0).equals("SPOT") ? "SPOT_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE";
            assertThat(input(ce, "computeResources", "allocationStrategy")).isEqualTo(strategy);
            // Built like the others: the host security group, the instance profile, the update policy.
            assertThat(input(ce, "computeResources", "securityGroupIds"))
                    .isEqualTo(input(spot, "computeResources", "securityGroupIds"));
            assertThat(input(ce, "computeResources", "instanceRole"))
                    .isEqualTo(input(spot, "computeResources", "instanceRole"));
            assertThat(input(ce, "updatePolicy")).isEqualTo(input(spot, "updatePolicy"));
            assertThat(ce.ignoreChanges()).isEqualTo(spot.ignoreChanges());
            assertThat(ce.dependsOn()).isEqualTo(spot.dependsOn());
        }
    }

    @Test
    void eachGroupsHostsAreTaggedWithItThroughATemplateOfTheirOwn() {
        var shared = resource(groups, "genomics-batch-host-launch-template");
        for (var name : NAMES) {
            var template = resource(groups, "genomics-batch-group-launch-template-" + name);
            var ce = resource(groups, "genomics-batch-group-environment-" + name);
            assertThat(input(ce, "computeResources", "launchTemplate", "launchTemplateId")).isEqualTo(id(template.name()));
            // The group's tag on the instance, its volumes (which grown ones copy) and network interfaces.
            var specs = (List<Map<String, Object>>) input(template, "tagSpecifications");
            assertThat(specs).extracting(s -> s.get("resourceType")).containsExactly("instance", "volume",
                    "network-interface");
            assertThat(specs).allSatisfy(s -> assertThat((Map<String, String>) s.get("tags"))
                    .containsEntry(GROUP_TAG, name).containsEntry("CostCenter", "4711"));
            assertThat((Map<String, String>) input(template, "tags")).containsEntry(GROUP_TAG, name);
            // Otherwise the shared template's hosts: same storage, metadata options and user data.
            for (var field : List.of("blockDeviceMappings", "metadataOptions", "userData",
                    "instanceInitiatedShutdownBehavior")) {
                assertThat(input(template, field)).as(field).isEqualTo(input(shared, field));
            }
            // The compute environment and queue carry it too; computeResources.tags (replacing) do not.
            assertThat((Map<String, String>) input(ce, "tags")).containsEntry(GROUP_TAG, name);
            assertThat((Map<String, String>) input(ce, "computeResources", "tags")).doesNotContainKey(GROUP_TAG)
                    .isEqualTo(input(resource(groups, "genomics-batch-spot"), "computeResources", "tags"));
            assertThat((Map<String, String>) input(resource(groups, "genomics-batch-group-queue-" + name), "tags"))
                    .containsEntry(GROUP_TAG, name);
        }
        // No other resource carries a group's tag.
        assertThat(groups.resources()).filteredOn(r -> !r.name().contains("-group-"))
                .allSatisfy(r -> assertThat(String.valueOf(r.inputs().get("tags"))).doesNotContain(GROUP_TAG));
    }

    @Test
    void eachGroupsQueueUsesItsOwnComputeEnvironmentOnlyAndTheOtherQueuesAreUnchanged() {
        for (var name : NAMES) {
            var queue = resource(groups, "genomics-batch-group-queue-" + name);
            assertThat(queue.type()).isEqualTo(QUEUE);
            assertThat(input(queue, "name")).isEqualTo("genomics-batch-groups-group-" + name);
            assertThat(orders(queue)).containsExactly(arn(CE, "genomics-batch-group-environment-" + name));
            assertThat(queue.aliases()).isEmpty();
            // The same time limits as every queue: a job that can never run is cancelled.
            assertThat(input(queue, "jobStateTimeLimitActions"))
                    .isEqualTo(input(resource(groups, "genomics-batch-default"), "jobStateTimeLimitActions"));
        }
        assertThat(orders(resource(groups, "genomics-batch-default")))
                .containsExactly(arn(CE, "genomics-batch-spot"), arn(CE, "genomics-batch-on-demand"));
        assertThat(orders(resource(groups, "genomics-batch-high-priority")))
                .containsExactly(arn(CE, "genomics-batch-on-demand"), arn(CE, "genomics-batch-spot"));
        assertThat(orders(resource(groups, "genomics-batch-head-job"))).containsExactly(arn(CE, "genomics-batch-on-demand"));
    }

    static List<Object> orders(PlannedResource queue) {
        return ((List<Map<String, Object>>) input(queue, "computeEnvironmentOrders")).stream()
                .sorted(java.util.Comparator.comparingInt(o -> number(o.get("order"))))
                .map(o -> o.get("computeEnvironment")).toList();
    }

    @Test
    void theGroupsOutputHoldsEachGroupsQueueEnvironmentAndEngineConfigs() {
        var out = (Map<String, Map<String, String>>) groups.outputs().get(EnvironmentOutputs.GROUPS);
        assertThat(out).containsOnlyKeys(NAMES);
        for (var name : NAMES) {
            var group = out.get(name);
            assertThat(group).containsOnlyKeys(EnvironmentOutputs.GROUP_FIELDS);
            var queueArn = arn(QUEUE, "genomics-batch-group-queue-" + name);
            assertThat(group).containsEntry("jobQueueArn", queueArn)
                    .containsEntry("jobQueueName", "genomics-batch-groups-group-" + name)
                    .containsEntry("computeEnvironmentArn", arn(CE, "genomics-batch-group-environment-" + name));
            // Cromwell's own config library reads the backend: the group's queue, the stack's work directory.
            var cromwell = ConfigFactory.parseString(group.get(EngineConfigs.CROMWELL_OUTPUT)
                    .replace("include required(classpath(\"application\"))", "")).resolve();
            assertThat(cromwell.getString("backend.providers.AWSBatch.config.default-runtime-attributes.queueArn"))
                    .isEqualTo(queueArn);
            assertThat(cromwell.getString("backend.providers.AWSBatch.config.root"))
                    .isEqualTo("s3://acme-genomics-work/runs/cromwell-execution");
            // Snakemake: the group's queue, and its tag on every job (after the stack's).
            var snakemake = group.get(EngineConfigs.SNAKEMAKE_OUTPUT);
            assertThat(snakemake).contains("--aws-batch-job-queue " + queueArn)
                    .endsWith("--aws-batch-tags CostCenter=4711 " + GROUP_TAG + "=" + name);
            assertThat(group.get(EngineConfigs.NEXTFLOW_OUTPUT)).contains("queue = '" + queueArn + "'")
                    .contains("'" + GROUP_TAG + "': '" + name + "'").doesNotContain("high_priority");
        }
        // The environment's own configs and outputs are as without groups: no group tag, no group queue.
        assertThat((String) groups.outputs().get(EngineConfigs.NEXTFLOW_OUTPUT)).doesNotContain("'" + GROUP_TAG + "'");
        assertThat(groups.outputs().keySet()).noneMatch(k -> k.startsWith("group") && !k.equals("groups"));
    }

    @Test
    void theForecastPricesEachGroupsHostsAsItPricesTheOtherComputeEnvironments() {
        var settings = io.genomicsbatch.config.ConfigReader.read(ConfigSource.of(fixtureValues)).orThrow();
        var forecast = io.genomicsbatch.cost.CostForecast.of(settings, java.util.Optional.of("us-east-1"),
                io.genomicsbatch.cost.PriceTable.shipped(), groups.resources().stream()
                        .filter(r -> !r.isComponent()).map(PlannedResource::type).toList());
        assertThat(forecast.unknown()).isEmpty();
        var byName = forecast.computeEnvironments().stream().collect(Collectors.toMap(e -> e.name(), e -> e));
        var spot = byName.get("spot");
        var onDemand = byName.get("on-demand");
        var cancer = byName.get("group-cancer-genomics");
        var rare = byName.get("group-rare_disease");
        // Capped at the group's maxVcpus, at the Spot or On-Demand price as the shared environments are.
        assertThat(List.of(cancer.capacity(), cancer.maxVcpus(), cancer.minVcpus())).containsExactly(
                io.genomicsbatch.config.CapacityType.SPOT, 512, 0);
        assertThat(List.of(rare.capacity(), rare.maxVcpus())).containsExactly(
                io.genomicsbatch.config.CapacityType.ON_DEMAND, 128);
        assertThat(cancer.usdPerVcpuHour()).isEqualTo(spot.usdPerVcpuHour());
        assertThat(cancer.pricePercent()).isEqualTo(spot.pricePercent());
        assertThat(cancer.computeUsdPerHour()).isCloseTo(spot.computeUsdPerHour() * 512 / 64,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(rare.computeUsdPerHour()).isCloseTo(onDemand.computeUsdPerHour() * 128 / 16,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(rare.hosts()).isEqualTo(onDemand.hosts() * 128 / 16);
    }

    @Test
    void theHeadJobRoleAndSubmitterPolicyMaySubmitToEveryGroupsQueue() {
        var headJob = (String) input(resource(groups, "genomics-batch-head-job-role-batch"), "policy");
        var submitter = (String) input(resource(groups, "genomics-batch-submitter-policy"), "policy");
        var budgetStop = (String) input(resource(groups, "genomics-batch-budget-stop-policy"), "policy");
        for (var name : NAMES) {
            var queueArn = arn(QUEUE, "genomics-batch-group-queue-" + name);
            assertThat(headJob).contains(queueArn);
            assertThat(submitter).contains(queueArn);
            assertThat(budgetStop).contains(queueArn);
        }
        // Grown volumes copy the root volume's tags: the hosts may create them with the group's tag.
        assertThat((String) input(resource(groups, "genomics-batch-instance-role-storage-growth"), "policy"))
                .contains("\"" + GROUP_TAG + "\"]");
    }

    @Test
    void removingOneGroupRemovesOnlyItsResourcesAndKeepsTheOthersAsTheyWere() {
        var two = succeeded(with("[{\"name\":\"cancer-genomics\",\"maxVcpus\":512,\"spot\":true},"
                + "{\"name\":\"Microbiome\",\"maxVcpus\":64}]"));
        var before = byName(groups);
        var after = byName(two);
        var gone = new java.util.TreeSet<>(before.keySet());
        gone.removeAll(after.keySet());
        assertThat(gone).containsExactlyInAnyOrder("genomics-batch-group-environment-rare_disease",
                "genomics-batch-group-queue-rare_disease", "genomics-batch-group-launch-template-rare_disease");
        assertThat(after.keySet()).isSubsetOf(before.keySet());
        // The remaining groups' resources are registered exactly as before.
        after.forEach((name, r) -> {
            if (name.contains("-group-")) {
                assertThat(r).as(name).isEqualTo(before.get(name));
            }
        });
        // Only documents that list every queue change: nothing else is touched.
        var changed = after.keySet().stream().filter(n -> !after.get(n).equals(before.get(n))).sorted().toList();
        assertThat(changed).allSatisfy(n -> assertThat(String.valueOf(before.get(n).inputs()))
                .contains(arn(QUEUE, "genomics-batch-group-queue-rare_disease")));
        assertThat(((Map<String, ?>) two.outputs().get("groups")).keySet())
                .containsExactly("cancer-genomics", "Microbiome");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGroupsConfigsFollowTheEnvironmentsOtherSettingsLikeTheOrdinaryOnes() {
        // One writer of engine inputs for both: the shared file system, Spot retries and the registry cache reach
        // each group's configs as they reach nextflowConfig.
        var values = new TreeMap<>(fixtureValues);
        values.put("sharedFileSystem", "{\"type\":\"efs\",\"existingId\":\"fs-0123456789abcdef0\"}");
        values.put("sharedFileSystemSecurityGroupIds", "[\"sg-0123456789abcdef0\"]");
        values.put("engineSpotAttempts", "3");
        values.put("ecrPullThroughCache", "[{\"upstream\":\"quay\"}]");
        var r = succeeded(TestStacks.run("groups", ConfigSource.of(values), new AwsAnswers()));
        var plain = (String) r.outputs().get("nextflowConfig");
        var perGroup = (Map<String, Map<String, String>>) r.outputs().get("groups");
        assertThat(perGroup).isNotEmpty().allSatisfy((name, outputs) -> {
            var nextflow = outputs.get("nextflowConfig");
            for (var line : List.of("/mnt/shared", "maxSpotAttempts = 3", "docker.registry = ")) {
                assertThat(plain).contains(line);
                assertThat(nextflow).as(name).contains(line);
            }
            assertThat(outputs.get("cromwellBackendConfig")).as(name).contains("/mnt/shared")
                    .contains("awsBatchRetryAttempts");
        });
    }

    static Map<String, PlannedResource> byName(Recorder.Recording r) {
        return r.resources().stream().collect(Collectors.toMap(PlannedResource::name, p -> p, (a, b) -> a,
                LinkedHashMap::new));
    }

    @Test
    void noGroupsIsTheEnvironmentWithoutThem() {
        var dev = succeeded(TestStacks.runStackFile("dev", new AwsAnswers()));
        var emptyList = StackFiles.load(TestStacks.PROJECT_DIR, "dev").source();
        var values = new TreeMap<String, String>();
        emptyList.keys().forEach(k -> values.put(k, emptyList.get(k).orElseThrow()));
        values.put("groups", "[]");
        var withEmpty = succeeded(TestStacks.run("dev", ConfigSource.of(values), new AwsAnswers()));
        assertThat(withEmpty.resources()).isEqualTo(dev.resources());
        assertThat(withEmpty.outputs()).isEqualTo(dev.outputs()).doesNotContainKey("groups");
        assertThat(dev.resources()).noneMatch(r -> r.name().contains("-group-"));
    }

    // ---- bad input: refused before anything is registered, naming the key ----------------------

    static Stream<Arguments> badGroups() {
        var key = "genomics-batch:groups: got ";
        return Stream.of(
                Arguments.of("[{\"name\":\"lab 1\",\"maxVcpus\":8}]", key + "[\"lab 1\"]; names [\"lab 1\"] are not parts"),
                Arguments.of("[{\"name\":\"lab.1\",\"maxVcpus\":8}]", "are not parts of AWS Batch names"),
                Arguments.of("[{\"name\":\"\",\"maxVcpus\":8}]", "names [\"\"] are not parts"),
                Arguments.of("[{\"name\":\"lab1\",\"maxVcpus\":8},{\"name\":\"lab1\",\"maxVcpus\":4}]",
                        "names listed more than once: [\"lab1\"]"),
                Arguments.of("[{\"name\":\"lab1\",\"maxVcpus\":0}]", "maxVcpus below 1 (lab1: 0)"),
                Arguments.of("[{\"name\":\"lab1\",\"maxVcpus\":-8}]", "maxVcpus below 1 (lab1: -8)"),
                Arguments.of("[{\"maxVcpus\":8}]", "expected a list of groups"),
                Arguments.of("[{\"name\":\"lab1\"}]", "(entry 0)"),
                Arguments.of("[{\"name\":\"lab1\",\"maxVcpus\":8,\"maxvcpus\":9}]", "unknown fields [maxvcpus]"),
                Arguments.of("[{\"name\":\"lab1\",\"maxVcpus\":8,\"spot\":\"yes\"}]", "expected a list of groups"),
                Arguments.of("[{\"name\":\"lab1\",\"maxVcpus\":1.5}]", "expected a list of groups"),
                Arguments.of("{\"name\":\"lab1\",\"maxVcpus\":8}", "expected a list of groups"),
                Arguments.of("[\"lab1\"]", "expected a list of groups"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badGroups")
    void badGroupsAreRefusedNamingTheKey(String value, String expected) {
        var r = with(value);
        assertThat(invalidConfig(r).problems()).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).startsWith("genomics-batch:groups: got ").contains(expected));
        assertThat(r.resources()).isEmpty();
    }

    @Test
    void numbersAndBooleansMayComeAsTheStringsTheCliHandsWithPath() {
        var r = succeeded(with("[{\"name\":\"lab1\",\"maxVcpus\":\"16\",\"spot\":\"false\"}]"));
        var ce = resource(r, "genomics-batch-group-environment-lab1");
        assertThat(input(ce, "computeResources", "type")).isEqualTo("EC2");
        assertThat(number(input(ce, "computeResources", "maxVcpus"))).isEqualTo(16);
    }

    /**
     * The compute environment's name prefix holds the group's name: 102 characters in pulumi-aws 6.83.0
     * ("genomics-batch-groups-group-NAME-": 28 characters besides NAME), the queue's name 128.
     */
    @Test
    void aGroupNameFitsWhileTheComputeEnvironmentsNamePrefixDoes() {
        var longest = "g".repeat(102 - "genomics-batch-groups-group--".length());
        var fits = succeeded(with("[{\"name\":\"" + longest + "\",\"maxVcpus\":8}]"));
        var prefix = (String) input(resource(fits, "genomics-batch-group-environment-" + longest),
                "computeEnvironmentNamePrefix");
        assertThat(prefix).hasSize(102);
        var r = with("[{\"name\":\"" + longest + "g\",\"maxVcpus\":8}]");
        assertThat(invalidConfig(r).problems()).extracting(ConfigProblem::message).singleElement()
                .satisfies(m -> assertThat(m).startsWith("genomics-batch:groups: got names [\"" + longest + "g\"]; "
                        + "expected at most " + longest.length() + " characters each"));
        assertThat(r.resources()).isEmpty();
    }

    @Test
    void theGroupTagIsNotAStackTagWithGroupsAndLeavesRoomOnTheHosts() {
        var values = new TreeMap<>(fixtureValues);
        values.put("tags", "{\"Genomics-Batch-Group\":\"x\"}");
        var r = TestStacks.run("groups", ConfigSource.of(values), new AwsAnswers());
        assertThat(invalidConfig(r).problems()).extracting(ConfigProblem::message).singleElement()
                .satisfies(m -> assertThat(m).startsWith("genomics-batch:tags: got \"Genomics-Batch-Group\"; ")
                        .contains("collides with genomics-batch-group"));
        // Without groups the key stays the stack's to use, as before.
        values.remove("groups");
        succeeded(TestStacks.run("groups", ConfigSource.of(values), new AwsAnswers()));

        var many = IntStream.range(0, 46).boxed().collect(Collectors.toMap(i -> "Tag" + (char) ('A' + i / 26)
                + (char) ('a' + i % 26), i -> "v", (a, b) -> a, TreeMap::new));
        values.put("tags", new com.google.gson.Gson().toJson(many));
        succeeded(TestStacks.run("groups", ConfigSource.of(values), new AwsAnswers()));
        values.put("groups", fixtureValues.get("groups"));
        assertThat(invalidConfig(TestStacks.run("groups", ConfigSource.of(values), new AwsAnswers())).problems())
                .extracting(ConfigProblem::message).singleElement()
                .satisfies(m -> assertThat(m).startsWith("genomics-batch:tags: got 46 tags; with genomics-batch:groups"
                        + " at most 45"));
    }

    @Test
    void aGroupCapAboveTheTypicalQuotaWarnsNamingTheGroup() {
        var settings = io.genomicsbatch.config.ConfigReader.read(ConfigSource.of(Map.of("groups",
                "[{\"name\":\"big\",\"maxVcpus\":4096,\"spot\":false},{\"name\":\"small\",\"maxVcpus\":8}]")))
                .orThrow();
        assertThat(io.genomicsbatch.config.SettingsValidator.warnings(settings)).filteredOn(w -> w.contains("groups"))
                .containsExactly("genomics-batch:groups: group big has maxVcpus 4096: above 1024 vCPUs, more than many"
                        + " accounts' default EC2 On-Demand vCPU quota; check Service Quotas (every group and environment"
                        + " of the account and region shares it), or Batch stops scaling below the cap");
    }

    static String groupList(int count, int nameLength) {
        return IntStream.range(0, count).mapToObj(i -> "{\"name\":\"" + String.format("%0" + nameLength + "d", i)
                + "\",\"maxVcpus\":8}").collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void moreComputeEnvironmentsOrQueuesThanAwsBatchAllowsAreRefused() {
        // 2 environments and 3 queues of the environment's own: 47 groups make 50 queues, 48 make 51.
        var fitting = with(groupList(47, 3));
        assertThat(fitting.exceptions()).allSatisfy(e -> assertThat(String.valueOf(e))
                .doesNotContain("AWS Batch allows 50"));
        var r = with(groupList(48, 3));
        assertThat(invalidConfig(r).problems()).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).startsWith("genomics-batch:groups: got [")
                        .contains("48 groups make 50 compute environments and 51 job queues; AWS Batch allows 50"));
        assertThat(r.resources()).isEmpty();
    }

    /**
     * Documents that name every queue grow with the groups: the alert rules' patterns (2,048 characters), the
     * budget stop's managed policy (6,144), the head-job role's inline policies (10,240) and the submitter
     * policy (6,144), each measured as long as AWS could write it. The fixture has alerts and a budget stop.
     */
    @Test
    void tooManyGroupsForTheDocumentsThatNameEveryQueueAreRefusedNamingTheKey() {
        var r = with(groupList(45, 60));
        var messages = invalidConfig(r).problems().stream().map(ConfigProblem::message).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("genomics-batch:groups: got 45 groups; an alert"
                + " rule's event pattern, which names every queue, would need up to ").endsWith("characters, and "
                + "EventBridge allows 2048 per pattern by default: list fewer groups"));
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("genomics-batch:groups: got 45 groups; the "
                + "budget stop's policy"));
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("genomics-batch:dataBucketNames, "
                + "genomics-batch:referenceBucketNames, genomics-batch:dataKmsKeyArns, genomics-batch:groups: ")
                .contains("(with the queues of 45 groups)").endsWith("list fewer buckets or keys or groups"));
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("genomics-batch:workDirectory, "
                + "genomics-batch:dataKmsKeyArns, genomics-batch:groups: ").endsWith("or fewer keys or groups"));
        assertThat(r.resources()).isEmpty();
        // Without alerts and the budget, the same groups need only the IAM documents to fit: a few fit.
        var values = new TreeMap<>(fixtureValues);
        values.keySet().removeAll(List.of("alertEmails", "monthlyBudgetUsd", "budgetStopPercent"));
        values.put("groups", groupList(3, 60));
        succeeded(TestStacks.run("groups", ConfigSource.of(values), new AwsAnswers()));
    }
}
