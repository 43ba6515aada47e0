package io.genomicsbatch.queues;

import com.google.gson.JsonParser;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.invalidConfig;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * fairShare (issue 20): a scheduling policy and the shared queue beside the first-in-first-out queues, which
 * stay as they were; submitters reach the shared queue only through their share's policy. Runs the fixture
 * stack shared-labs and variations under the mock engine.
 */
class FairShareTest {

    static final String QUEUE = "aws:batch/jobQueue:JobQueue";
    static final String POLICY = "aws:batch/schedulingPolicy:SchedulingPolicy";
    static final String IAM_POLICY = "aws:iam/policy:Policy";
    static final String FAIR_SHARE = "{\"shares\":[{\"id\":\"labA\",\"weight\":1},{\"id\":\"labB\",\"weight\":0.5}]}";

    /** The fixture stack file's values, with changes. */
    static Map<String, String> sharedLabs(Map<String, String> changes) {
        var file = StackFiles.load(TestStacks.PROJECT_DIR, "shared-labs").source();
        var values = new TreeMap<String, String>();
        file.keys().forEach(k -> values.put(k, file.get(k).orElseThrow()));
        values.putAll(changes);
        values.values().removeIf(String::isEmpty);
        return values;
    }

    static Recorder.Recording run(Map<String, String> config) {
        return TestStacks.run("shared-labs", ConfigSource.of(config), new AwsAnswers());
    }

    static String arn(String type, String name) {
        return AwsAnswers.arn(type, name);
    }

    @Test
    void theFixtureStackGetsAPolicyWithItsSharesAndASharedQueueInFrontOfTheDefaultQueuesEnvironments() {
        var r = succeeded(TestStacks.runStackFile("shared-labs", new AwsAnswers()));
        var policy = resource(r, "genomics-batch-fair-share");
        assertThat(policy.type()).isEqualTo(POLICY);
        assertThat(input(policy, "name")).isEqualTo("genomics-batch-shared-labs-fair-share");
        assertThat(input(policy, "fairSharePolicy", "shareDecaySeconds")).isEqualTo(3600.0);
        assertThat(input(policy, "fairSharePolicy", "computeReservation")).isEqualTo(10.0);
        // Every share with its weight, as written; the weight always sent (the provider would send 0 for none).
        assertThat(input(policy, "fairSharePolicy", "shareDistributions")).isEqualTo(List.of(
                Map.of("shareIdentifier", "labA", "weightFactor", 1.0),
                Map.of("shareIdentifier", "labB", "weightFactor", 0.5),
                Map.of("shareIdentifier", "core*", "weightFactor", 2.0)));
        assertThat(policy.parent()).contains("genomics-batch");

        var shared = resource(r, "genomics-batch-shared");
        var defaultQueue = resource(r, "genomics-batch-default");
        assertThat(input(shared, "name")).isEqualTo("genomics-batch-shared-labs-shared");
        assertThat(input(shared, "schedulingPolicyArn")).isEqualTo(arn(POLICY, "genomics-batch-fair-share"));
        // The default queue's environments, in its order, and its priority and time limits.
        for (var field : List.of("computeEnvironmentOrders", "priority", "jobStateTimeLimitActions", "state", "tags")) {
            assertThat(input(shared, field)).as(field).isEqualTo(input(defaultQueue, field));
        }
        assertThat(TestStacks.ofType(r, QUEUE)).filteredOn(q -> q != shared)
                .allSatisfy(q -> assertThat(q.inputs()).as(q.name()).doesNotContainKey("schedulingPolicyArn"));
        assertThat(r.outputs()).containsEntry("sharedJobQueueName", "genomics-batch-shared-labs-shared")
                .containsEntry("sharedJobQueueArn", arn(QUEUE, "genomics-batch-shared"))
                .containsEntry("fairSharePolicyArn", arn(POLICY, "genomics-batch-fair-share"));
    }

    @Test
    void theExistingQueuesAndEverythingElseAreWhatTheyAreWithoutFairShare() {
        var with = succeeded(run(sharedLabs(Map.of())));
        var without = succeeded(run(sharedLabs(Map.of("fairShare", ""))));
        var added = List.of("genomics-batch-fair-share", "genomics-batch-shared");
        // Jobs only without a share identifier (the next test): the two policies every group shares.
        var narrowed = List.of("genomics-batch-head-job-role-batch", "genomics-batch-submitter-policy");
        var before = without.resources().stream().collect(Collectors.toMap(PlannedResource::name, r -> r));
        for (var resource : with.resources()) {
            if (added.contains(resource.name()) || resource.name().startsWith("genomics-batch-share-submitter-")) {
                assertThat(before).as(resource.name()).doesNotContainKey(resource.name());
            } else if (narrowed.contains(resource.name())) {
                assertThat(resource).as(resource.name()).isNotEqualTo(before.get(resource.name()));
            } else if (!resource.name().equals("genomics-batch")) {
                // The existing queues byte for byte, the compute environments, the roles, everything else.
                assertThat(resource).as(resource.name()).isEqualTo(before.get(resource.name()));
            }
        }
        assertThat(with.resources()).hasSize(without.resources().size() + added.size() + 3);
        // An empty mapping is fair share off, as unset is.
        var empty = succeeded(run(sharedLabs(Map.of("fairShare", "{}"))));
        assertThat(empty.resources()).isEqualTo(without.resources());
        assertThat(empty.outputs()).isEqualTo(without.outputs());
    }

    @Test
    void everySubmitterMayNotUseTheSharedQueueEachShareMayButTheBudgetStopCoversIt() {
        var r = succeeded(run(sharedLabs(Map.of("alertEmails", "[\"core@example.org\"]", "monthlyBudgetUsd", "2000",
                "budgetStopPercent", "100"))));
        var sharedArn = arn(QUEUE, "genomics-batch-shared");
        var defaultArn = arn(QUEUE, "genomics-batch-default");
        // The head-job role is one role for every group, so it must not carry a share's right.
        assertThat(String.valueOf(input(resource(r, "genomics-batch-head-job-role-batch"), "policy")))
                .contains(defaultArn).doesNotContain(sharedArn);
        assertThat(String.valueOf(input(resource(r, "genomics-batch-submitter-policy"), "policy")))
                .contains(defaultArn).doesNotContain(sharedArn);
        assertThat(String.valueOf(input(resource(r, "genomics-batch-budget-stop-policy"), "policy")))
                .contains(defaultArn, sharedArn);

        // Every submitter's jobs: only without a share identifier (AWS checks it on the job, not the queue).
        for (var name : List.of("genomics-batch-head-job-role-batch", "genomics-batch-submitter-policy")) {
            var bySid = statements(input(resource(r, name), "policy"));
            assertThat(bySid.get("SubmitToThisEnvironmentsQueues").toString()).as(name).doesNotContain(":job/*");
            assertThat(bySid.get("SubmitJobsWithoutAShareIdentifier").toString()).as(name).isEqualTo(
                    "{\"Sid\":\"SubmitJobsWithoutAShareIdentifier\",\"Effect\":\"Allow\",\"Action\":[\"batch:SubmitJob\"],"
                            + "\"Resource\":[\"arn:aws:batch:us-east-1:123456789012:job/*\"],"
                            + "\"Condition\":{\"Null\":{\"batch:ShareIdentifier\":\"true\"}}}");
        }

        var operators = Map.of("labA", "StringEquals", "labB", "StringEquals", "core*", "StringLike");
        var arns = (Map<?, ?>) r.outputs().get("shareSubmitterPolicyArns");
        assertThat(arns.keySet()).isEqualTo(operators.keySet());
        operators.forEach((id, operator) -> {
            var name = io.genomicsbatch.iam.ShareSubmitterPolicies.logicalName("genomics-batch-share-submitter", id);
            var policy = resource(r, name);
            assertThat(arns.get(id)).isEqualTo(arn(IAM_POLICY, name));
            assertThat(String.valueOf(input(policy, "description"))).endsWith("as share " + id + " only");
            var bySid = statements(input(policy, "policy"));
            assertThat(bySid.keySet()).containsExactly("SubmitToTheSharedQueue", "SubmitJobsAsThisShareOnly");
            assertThat(bySid.get("SubmitToTheSharedQueue").toString()).isEqualTo("{\"Sid\":\"SubmitToTheSharedQueue\","
                    + "\"Effect\":\"Allow\",\"Action\":[\"batch:SubmitJob\"],\"Resource\":[\"" + sharedArn + "\"],"
                    + "\"Condition\":{\"" + operator + "IfExists\":{\"batch:ShareIdentifier\":\"" + id + "\"}}}");
            assertThat(bySid.get("SubmitJobsAsThisShareOnly").toString()).isEqualTo("{\"Sid\":\"SubmitJobsAsThisShareOnly\","
                    + "\"Effect\":\"Allow\",\"Action\":[\"batch:SubmitJob\"],"
                    + "\"Resource\":[\"arn:aws:batch:us-east-1:123456789012:job/*\"],"
                    + "\"Condition\":{\"" + operator + "\":{\"batch:ShareIdentifier\":\"" + id + "\"}}}");
        });
    }

    /** A policy document's statements by Sid, in order. */
    static Map<String, com.google.gson.JsonElement> statements(Object policy) {
        var bySid = new java.util.LinkedHashMap<String, com.google.gson.JsonElement>();
        JsonParser.parseString(String.valueOf(policy)).getAsJsonObject().getAsJsonArray("Statement")
                .forEach(st -> bySid.put(st.getAsJsonObject().get("Sid").getAsString(), st));
        return bySid;
    }

    @Test
    void withoutSpilloverTheSharedQueueUsesSpotOnlyAsTheDefaultQueueDoes() {
        var r = succeeded(run(sharedLabs(Map.of("queueSpillover", "false"))));
        assertThat(input(resource(r, "genomics-batch-shared"), "computeEnvironmentOrders")).isEqualTo(List.of(
                Map.of("order", 1.0, "computeEnvironment", arn("aws:batch/computeEnvironment:ComputeEnvironment",
                        "genomics-batch-spot"))));
    }

    @Test
    void theNextflowVariantSendsEveryTaskToTheSharedQueue() {
        var r = succeeded(TestStacks.runStackFile("shared-labs", new AwsAnswers()));
        var config = (String) r.outputs().get("nextflowFairShareConfig");
        assertThat(config).contains("queue = '" + arn(QUEUE, "genomics-batch-shared") + "'")
                .contains("schedulingPriority = 0")
                .contains("'labA' {\n        aws.batch.shareIdentifier = 'labA'")
                .doesNotContain("withLabel", arn(QUEUE, "genomics-batch-default"));
        // The ordinary config is unchanged: no share identifier goes to a first-in-first-out queue.
        assertThat((String) r.outputs().get("nextflowConfig")).doesNotContain("shareIdentifier", "schedulingPriority");
        assertThat((String) r.outputs().get("snakemakeArgs")).doesNotContain(arn(QUEUE, "genomics-batch-shared"));
        assertThat((String) r.outputs().get("cromwellBackendConfig")).doesNotContain(arn(QUEUE, "genomics-batch-shared"));
    }

    static String shares(String... ids) {
        return "{\"shares\":[" + Stream.of(ids).map(id -> "{\"id\":\"" + id + "\"}").collect(Collectors.joining(","))
                + "]}";
    }

    static String weights(String... weights) {
        return "{\"shares\":[" + IntStream.range(0, weights.length).mapToObj(i -> "{\"id\":\"lab" + i
                + "\",\"weight\":" + weights[i] + "}").collect(Collectors.joining(",")) + "]}";
    }

    static String manyShares(int count) {
        return shares(IntStream.range(0, count).mapToObj(i -> "lab" + i).toArray(String[]::new));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // the value, and what the one message must say
                arguments("[\"labA\"]", "not a mapping"),
                arguments("{\"share\":[]}", "unknown fields [share]"),
                arguments("{\"shares\":\"labA\"}", "shares is not a list"),
                arguments("{\"shares\":[\"labA\"]}", "each share is a mapping"),
                arguments("{\"shares\":[{\"weight\":1}]}", "each share is a mapping"),
                arguments("{\"shares\":[{\"id\":\"labA\",\"weight\":\"heavy\"}]}", "each share is a mapping"),
                arguments("{\"shares\":[{\"id\":\"labA\",\"weight\":true}]}", "each share is a mapping"),
                arguments("{\"shares\":[{\"id\":\"labA\",\"group\":\"a\"}]}", "each share is a mapping"),
                arguments("{\"shares\":[{\"id\":\"labA\"}],\"shareDecaySeconds\":\"1h\"}", "shareDecaySeconds is not"),
                arguments("{\"shares\":[{\"id\":\"labA\"}],\"computeReservation\":12.5}", "computeReservation is not"),
                arguments("{\"shareDecaySeconds\":60}", "shares: got none"),
                arguments(shares("lab-A"), "\"lab-A\"] are not share identifiers"),
                arguments(shares(""), "\"\"] are not share identifiers"),
                arguments(shares("la*b"), "\"la*b\"] are not share identifiers"),
                arguments(shares("lab**"), "\"lab**\"] are not share identifiers"),
                arguments(shares("läbA"), "\"läbA\"] are not share identifiers"),
                arguments(shares("a".repeat(256)), "are not share identifiers"),
                // AWS counts 255 letters before the '*'; the provider (6.83.0), 255 characters in all
                arguments(shares("a".repeat(255) + "*"), "are not share identifiers"),
                arguments(weights("0"), "weights [lab0: 0] are out of range"),
                arguments(weights("0.00009"), "weights [lab0: 0.00009] are out of range"),
                arguments(weights("1000"), "weights [lab0: 1000] are out of range"),
                arguments(weights("999.99995"), "weights [lab0: 999.99995] are out of range"),
                arguments(weights("-1"), "weights [lab0: -1] are out of range"),
                arguments(shares("lab*", "labA"), "lab* and labA overlap"),
                arguments(shares("lab", "lab*"), "lab and lab* overlap"),
                arguments(shares("lab*", "labA*"), "lab* and labA* overlap"),
                arguments(shares("labA", "labA"), "labA and labA overlap"),
                arguments(shares("*", "labA"), "* and labA overlap"),
                arguments(manyShares(501), "got 501 shares; expected at most 500"),
                arguments("{\"shares\":[{\"id\":\"labA\"}],\"shareDecaySeconds\":-1}", "shareDecaySeconds: got -1"),
                arguments("{\"shares\":[{\"id\":\"labA\"}],\"shareDecaySeconds\":604801}", "to 604800"),
                arguments("{\"shares\":[{\"id\":\"labA\"}],\"computeReservation\":-1}", "computeReservation: got -1"),
                arguments("{\"shares\":[{\"id\":\"labA\"}],\"computeReservation\":100}", "to 99"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void badFairShareIsRefusedNamingTheKeyBeforeAnythingIsRegistered(String value, String says) {
        var answers = new AwsAnswers();
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of("fairShare", value)), answers);
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:fairShare").contains(says));
        assertThat(recording.resources()).as("resources registered").isEmpty();
        assertThat(answers.invokes()).as("lookups made").isEmpty();
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments(shares("a".repeat(255))),
                arguments(shares("a".repeat(254) + "*")),
                arguments(shares("*")),
                arguments(shares("lab", "lab1", "Lab")),
                arguments(shares("labA", "labB*", "core*")),
                arguments(weights("0.0001", "999.9999", "\"0.5\"")),
                arguments(manyShares(500)),
                arguments("{\"shares\":[{\"id\":\"labA\"}],\"shareDecaySeconds\":604800,\"computeReservation\":99}"),
                arguments("{\"shares\":[{\"id\":\"labA\"}],\"shareDecaySeconds\":\"0\",\"computeReservation\":\"0\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void valuesAwsTakesAreAccepted(String value) {
        var r = succeeded(run(Map.of("fairShare", value)));
        assertThat(TestStacks.ofType(r, POLICY)).hasSize(1);
    }
}
