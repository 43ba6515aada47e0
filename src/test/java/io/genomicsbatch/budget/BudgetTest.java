package io.genomicsbatch.budget;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.cost.CostForecast;
import io.genomicsbatch.cost.IdleFloor;
import io.genomicsbatch.cost.PriceTable;
import io.genomicsbatch.config.InvalidConfigException;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static io.genomicsbatch.support.TestStacks.invalidConfig;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The budget and its stop as the program registers them (mock engine), and the budget keys' bad input. */
public class BudgetTest {

    static final String BUDGET = "aws:budgets/budget:Budget";
    static final String ACTION = "aws:budgets/budgetAction:BudgetAction";
    static final String TOPIC = "aws:sns/topic:Topic";
    /** What monthlyBudgetUsd with budgetStopPercent adds. */
    public static final List<String> BUDGET_RESOURCES = List.of("genomics-batch-budget",
            "genomics-batch-budget-stop-policy", "genomics-batch-budget-stop-role",
            "genomics-batch-budget-stop-role-attach", "genomics-batch-budget-stop");

    static Recorder.Recording dev(Map<String, String> config) {
        var values = new HashMap<>(Map.of("spotMaxVcpus", "64", "onDemandMaxVcpus", "16",
                "alertEmails", "[\"lab@example.org\"]"));
        values.putAll(config);
        return TestStacks.run("dev", values);
    }

    @SuppressWarnings("unchecked")
    @Test
    void theBudgetFiltersOnTheTagTheLaunchTemplatePutsOnInstancesAndVolumes() {
        var r = succeeded(dev(Map.of("monthlyBudgetUsd", "300")));
        var specs = ((List<Object>) input(resource(r, "genomics-batch-host-launch-template"), "tagSpecifications"))
                .stream().map(s -> (Map<String, Object>) s).toList();
        Map<String, Object> instance = null;
        Map<String, Object> volume = null;
        Map<String, Object> networkInterface = null;
        for (var spec : specs) {
            var tags = (Map<String, Object>) spec.get("tags");
            switch ((String) spec.get("resourceType")) {
                case "instance" -> instance = tags;
                case "volume" -> volume = tags;
                case "network-interface" -> networkInterface = tags;
                default -> { }
            }
        }
        // The environment tag: what instances and volumes carry beyond the tags of everything else.
        var keys = new HashSet<>(instance.keySet());
        keys.removeAll(networkInterface.keySet());
        assertThat(keys).hasSize(1);
        var key = keys.iterator().next();
        assertThat(volume).containsEntry(key, instance.get(key));

        var budget = resource(r, "genomics-batch-budget");
        assertThat(budget.type()).isEqualTo(BUDGET);
        assertThat(input(budget, "costFilters")).isEqualTo(List.of(Map.of("name", "TagKeyValue",
                "values", List.of("user:" + key + "$" + instance.get(key)))));
        assertThat(input(budget, "budgetType")).isEqualTo("COST");
        assertThat(input(budget, "timeUnit")).isEqualTo("MONTHLY");
        assertThat(input(budget, "limitAmount")).isEqualTo("300");
        assertThat(input(budget, "limitUnit")).isEqualTo("USD");
        // Within the prefix the alert topic's policy lets AWS Budgets publish for.
        assertThat((String) input(budget, "name")).isEqualTo("genomics-batch-dev-monthly");
    }

    @SuppressWarnings("unchecked")
    @Test
    void eachThresholdIsAnActualAndAForecastedNotificationToTheAlertTopic() {
        var r = succeeded(dev(Map.of("monthlyBudgetUsd", "300", "budgetAlertPercents", "[50, 90, 120]")));
        var topicArn = AwsAnswers.arn(TOPIC, ofType(r, TOPIC).get(0).name());
        var notifications = (List<Map<String, Object>>) input(resource(r, "genomics-batch-budget"), "notifications");
        assertThat(notifications).extracting(n -> n.get("notificationType") + "@" + n.get("threshold"))
                .containsExactly("ACTUAL@50.0", "FORECASTED@50.0", "ACTUAL@90.0", "FORECASTED@90.0",
                        "ACTUAL@120.0", "FORECASTED@120.0");
        assertThat(notifications).allSatisfy(n -> {
            assertThat(n.get("thresholdType")).isEqualTo("PERCENTAGE");
            assertThat(n.get("comparisonOperator")).isEqualTo("GREATER_THAN");
            assertThat(n.get("subscriberSnsTopicArns")).isEqualTo(List.of(topicArn));
        });
        // No stop unless asked.
        assertThat(ofType(r, ACTION)).isEmpty();
    }

    @Test
    void aGivenTopicTakesTheNotifications() {
        var topic = "arn:aws:sns:" + AwsAnswers.REGION + ":" + AwsAnswers.ACCOUNT + ":lab-alerts";
        var values = new HashMap<>(Map.of("spotMaxVcpus", "64", "onDemandMaxVcpus", "16", "alertTopicArn", topic,
                "monthlyBudgetUsd", "300", "budgetStopPercent", "150"));
        var r = succeeded(TestStacks.run("dev", values));
        assertThat(input(resource(r, "genomics-batch-budget-stop"), "subscribers"))
                .isEqualTo(List.of(Map.of("subscriptionType", "SNS", "address", topic)));
    }

    @SuppressWarnings("unchecked")
    @Test
    void theStopAttachesTheDenyPolicyToTheHeadJobRoleAndTheNamedRolesAutomatically() {
        var r = succeeded(dev(Map.of("monthlyBudgetUsd", "300", "budgetStopPercent", "120",
                "budgetStopRoleNames", "[\"ci-submitter\", \"tower-launch\"]", "protect", "true")));
        var action = resource(r, "genomics-batch-budget-stop");
        assertThat(action.type()).isEqualTo(ACTION);
        assertThat(input(action, "budgetName")).isEqualTo(input(resource(r, "genomics-batch-budget"), "name"));
        assertThat(input(action, "actionType")).isEqualTo("APPLY_IAM_POLICY");
        assertThat(input(action, "approvalModel")).isEqualTo("AUTOMATIC");
        assertThat(input(action, "notificationType")).isEqualTo("ACTUAL");
        assertThat(input(action, "actionThreshold")).isEqualTo(Map.of("actionThresholdType", "PERCENTAGE",
                "actionThresholdValue", 120.0));
        var policy = resource(r, "genomics-batch-budget-stop-policy");
        var headRole = resource(r, "genomics-batch-head-job-role");
        var headRoleName = String.valueOf(input(headRole, "name") != null ? input(headRole, "name")
                : headRole.name() + "-generated");
        assertThat(input(action, "definition", "iamActionDefinition")).isEqualTo(Map.of(
                "policyArn", AwsAnswers.arn(policy.type(), policy.name()),
                "roles", List.of(headRoleName, "ci-submitter", "tower-launch")));
        assertThat(input(action, "executionRoleArn"))
                .isEqualTo(AwsAnswers.arn("aws:iam/role:Role", "genomics-batch-budget-stop-role"));

        // The deny: SubmitJob on exactly this environment's queues.
        var deny = JsonParser.parseString((String) input(policy, "policy")).getAsJsonObject()
                .getAsJsonArray("Statement").get(0).getAsJsonObject();
        var queues = ofType(r, "aws:batch/jobQueue:JobQueue").stream()
                .map(q -> AwsAnswers.arn(q.type(), q.name())).toList();
        assertThat(queues).hasSizeGreaterThanOrEqualTo(3);
        assertThat(deny.get("Effect").getAsString()).isEqualTo("Deny");
        assertThat(deny.get("Action").getAsString()).isEqualTo("batch:SubmitJob");
        assertThat(deny.getAsJsonArray("Resource").asList().stream().map(e -> e.getAsString()).toList())
                .containsExactlyInAnyOrderElementsOf(queues);

        // Children of the component, protected with protect like the others (the inline policy goes with its role).
        for (var name : BUDGET_RESOURCES) {
            var res = resource(r, name);
            assertThat(res.parent()).as(name).contains("genomics-batch");
            assertThat(res.protect()).as(name).isEqualTo(!name.endsWith("-attach"));
        }
    }

    @Test
    void theExecutionRoleIsForAwsBudgetsOfThisBudgetOnly() {
        var r = succeeded(dev(Map.of("monthlyBudgetUsd", "300", "budgetStopPercent", "100")));
        var trust = JsonParser.parseString((String) input(resource(r, "genomics-batch-budget-stop-role"),
                "assumeRolePolicy")).getAsJsonObject().getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertThat(trust.getAsJsonObject("Principal").get("Service").getAsString())
                .isEqualTo("budgets.amazonaws.com");
        var condition = trust.getAsJsonObject("Condition");
        assertThat(condition.getAsJsonObject("StringEquals").get("aws:SourceAccount").getAsString())
                .isEqualTo(AwsAnswers.ACCOUNT);
        assertThat(condition.getAsJsonObject("ArnLike").getAsJsonArray("aws:SourceArn").asList().stream()
                .map(e -> e.getAsString()).toList()).containsExactly(
                "arn:aws:budgets::" + AwsAnswers.ACCOUNT + ":budget/genomics-batch-dev-monthly",
                "arn:aws:budgets::" + AwsAnswers.ACCOUNT + ":budget/genomics-batch-dev-monthly/action/*");
    }

    @Test
    void devHasNoBudgetByDefault() {
        var r = succeeded(TestStacks.run("dev", Map.of()));
        assertThat(ofType(r, BUDGET)).isEmpty();
        assertThat(ofType(r, ACTION)).isEmpty();
        assertThat(r.resources()).extracting(PlannedResource::name).doesNotContainAnyElementsOf(BUDGET_RESOURCES);
    }

    static Stream<Arguments> badBudgets() {
        return Stream.of(
                arguments(Map.of("monthlyBudgetUsd", "-5"), "monthlyBudgetUsd: got -5", "at least 1"),
                arguments(Map.of("monthlyBudgetUsd", "12.5"), "monthlyBudgetUsd: got \"12.5\"", "whole number"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetAlertPercents", "[0, 100]"),
                        "budgetAlertPercents: got [0, 100]", "each from 1 to 1000"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetAlertPercents", "[80, 1001]"),
                        "budgetAlertPercents: got [80, 1001]", "each from 1 to 1000"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetAlertPercents", "[80, 80]"),
                        "budgetAlertPercents: got [80, 80]", "1 to 5 different percentages"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetAlertPercents", "[10, 20, 30, 40, 50, 60]"),
                        "budgetAlertPercents: got [10, 20, 30, 40, 50, 60]", "10 notifications per budget"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetAlertPercents", "[\"most\"]"),
                        "budgetAlertPercents: got", "list of whole numbers"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetStopPercent", "0x"),
                        "budgetStopPercent: got \"0x\"", "whole number"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetStopPercent", "1001"),
                        "budgetStopPercent: got 1001", "from 1 to 1000"),
                arguments(Map.of("budgetStopPercent", "120"), "budgetStopPercent: got 120",
                        "genomics-batch:monthlyBudgetUsd to take a percentage of"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetStopPercent", "120",
                        "budgetStopRoleNames", "[\"arn:aws:iam::123456789012:role/ci\"]"),
                        "budgetStopRoleNames: got [\"arn:aws:iam::123456789012:role/ci\"]", "not an IAM role name"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetStopPercent", "120",
                        "budgetStopRoleNames", "[\"" + "r".repeat(65) + "\"]"), "budgetStopRoleNames: got", "1-64"),
                arguments(Map.of("monthlyBudgetUsd", "300", "budgetStopRoleNames", "[\"ci\"]"),
                        "budgetStopRoleNames: got [\"ci\"]", "set genomics-batch:budgetStopPercent"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBudgets")
    void badBudgetInputIsRefusedBeforeAnythingIsRegistered(Map<String, String> config, String start, String allowed) {
        var answers = new AwsAnswers();
        var values = new HashMap<>(Map.of("alertEmails", "[\"lab@example.org\"]"));
        values.putAll(config);
        var recording = TestStacks.run("dev", ConfigSource.of(values), answers);
        var problem = invalidConfig(recording);
        assertThat(problem.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:" + start).contains(allowed));
        assertThat(recording.resources()).isEmpty();
        assertThat(answers.invokes()).isEmpty();
    }

    @Test
    void moreStoppedRolesThanTheExecutionRolesInlinePolicyHoldsAreRefusedBeforeAnythingIsRegistered() {
        var names = new java.util.ArrayList<String>();
        for (var i = 0; names.size() < 100; i++) {
            names.add("lab-submitter-" + i);
        }
        var list = "[\"" + String.join("\",\"", names) + "\"]";
        var answers = new AwsAnswers();
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of("alertEmails", "[\"lab@example.org\"]",
                "monthlyBudgetUsd", "300", "budgetStopPercent", "100", "budgetStopRoleNames", list)), answers);
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:budgetStopRoleNames: got 100 roles; ").contains("IAM allows 10240 per role"));
        assertThat(recording.resources()).isEmpty();
        // What fits is built, and the registered policy is within IAM's limit.
        var fits = new java.util.ArrayList<>(names);
        String policy = null;
        while (policy == null) {
            fits.remove(fits.size() - 1);
            var r = TestStacks.run("dev", Map.of("alertEmails", "[\"lab@example.org\"]", "monthlyBudgetUsd", "300",
                    "budgetStopPercent", "100", "budgetStopRoleNames", "[\"" + String.join("\",\"", fits) + "\"]"));
            if (r.exceptions().isEmpty()) {
                policy = (String) input(resource(r, "genomics-batch-budget-stop-role-attach"), "policy");
            }
        }
        assertThat(fits.size()).isGreaterThan(10);
        assertThat(policy.length()).isLessThanOrEqualTo(10_240);
    }

    @Test
    void aBudgetWithoutAnAlertTopicIsRefused() {
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of("monthlyBudgetUsd", "300")), new AwsAnswers());
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("genomics-batch:monthlyBudgetUsd: got 300; a budget notifies through the alert topic: "
                        + "set genomics-batch:alertEmails or genomics-batch:alertTopicArn too"));
        assertThat(recording.resources()).isEmpty();
    }

    static Recorder.Recording inRegion(String region, Map<String, String> config, AwsAnswers answers) {
        var values = new HashMap<>(Map.of("alertEmails", "[\"lab@example.org\"]", "spotMaxVcpus", "64",
                "onDemandMaxVcpus", "16", "onDemandMinVcpus", "16"));
        values.putAll(config);
        return TestStacks.run("dev", ConfigSource.of(values, Set.of(), Optional.of(region)), answers);
    }

    /** The idle floor of what the program registers for this config, as the plan's forecast prices it. */
    static double registeredFloor(Map<String, String> config) {
        var r = succeeded(inRegion("us-east-1", config, new AwsAnswers()));
        var values = new HashMap<>(Map.of("alertEmails", "[\"lab@example.org\"]", "spotMaxVcpus", "64",
                "onDemandMaxVcpus", "16", "onDemandMinVcpus", "16"));
        values.putAll(config);
        var settings = ConfigReader.read(ConfigSource.of(values)).orThrow("dev");
        var types = r.resources().stream().filter(p -> !p.isComponent()).map(PlannedResource::type).toList();
        return CostForecast.of(settings, Optional.of("us-east-1"), PriceTable.shipped(), types).idleFloorUsdPerMonth();
    }

    @Test
    void aBudgetBelowTheIdleFloorIsRefusedNamingTheFloor() {
        var floor = registeredFloor(Map.of("monthlyBudgetUsd", "100000", "budgetStopPercent", "100"));
        // 16 On-Demand vCPUs kept running: hundreds of dollars a month.
        assertThat(floor).isGreaterThan(100);
        var below = (int) Math.ceil(floor) - 1;
        var answers = new AwsAnswers();
        var recording = inRegion("us-east-1", Map.of("monthlyBudgetUsd", String.valueOf(below),
                "budgetStopPercent", "100"), answers);
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:monthlyBudgetUsd: got " + below + "; expected at least "
                        + (int) Math.ceil(floor) + ": the idle floor, what this stack bills a month with no job "
                        + "running, is $" + String.format(java.util.Locale.ROOT, "%.2f", floor) + " in us-east-1"));
        assertThat(recording.resources()).isEmpty();
        assertThat(answers.invokes()).isEmpty();
        // At the floor (rounded up) the budget is taken.
        succeeded(inRegion("us-east-1", Map.of("monthlyBudgetUsd", String.valueOf((int) Math.ceil(floor)),
                "budgetStopPercent", "100"), new AwsAnswers()));
    }

    @Test
    void aRegionWithoutPricesLeavesTheFloorUnknownAndTheBudgetIsNotRefused() {
        assertThat(PriceTable.shipped().regions()).doesNotContain("eu-west-1");
        var r = succeeded(inRegion("eu-west-1", Map.of("monthlyBudgetUsd", "1"), new AwsAnswers()));
        assertThat(ofType(r, BUDGET)).hasSize(1);
    }

    @Test
    void theFloorJudgedBeforeRegistrationIsTheFloorOfWhatIsRegistered() {
        for (var config : List.of(Map.<String, String>of("monthlyBudgetUsd", "100000"),
                Map.of("monthlyBudgetUsd", "100000", "budgetStopPercent", "100", "bootLoopStop", "true",
                        "s3GatewayEndpoint", "true"))) {
            var values = new HashMap<>(Map.of("alertEmails", "[\"lab@example.org\"]", "spotMaxVcpus", "64",
                    "onDemandMaxVcpus", "16", "onDemandMinVcpus", "16"));
            values.putAll(config);
            var settings = ConfigReader.read(ConfigSource.of(values)).orThrow("dev");
            assertThat(IdleFloor.usdPerMonth(settings, Optional.of("us-east-1"), PriceTable.shipped()).getAsDouble())
                    .as(config.toString()).isCloseTo(registeredFloor(config), org.assertj.core.data.Offset.offset(1e-9));
        }
    }


    static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
