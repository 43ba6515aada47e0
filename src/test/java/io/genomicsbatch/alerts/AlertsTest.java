package io.genomicsbatch.alerts;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.genomicsbatch.support.AwsAnswers.arn;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** Notifications, alarms, the dashboard and the boot-loop stop as the program registers them (mock engine). */
public class AlertsTest {

    static final String TOPIC = "aws:sns/topic:Topic";
    static final String RULE = "aws:cloudwatch/eventRule:EventRule";
    static final String ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
    static final String CE = "aws:batch/computeEnvironment:ComputeEnvironment";
    static final String ROLE = "aws:iam/role:Role";

    /** What alertEmails adds, its e-mail subscriptions aside. */
    public static final List<String> ALERT_RESOURCES = List.of("genomics-batch-alerts-key",
            "genomics-batch-alerts-key-alias", "genomics-batch-alerts", "genomics-batch-alerts-policy",
            "genomics-batch-run-succeeded", "genomics-batch-run-succeeded-to-alerts",
            "genomics-batch-run-failed", "genomics-batch-run-failed-to-alerts",
            "genomics-batch-task-failed", "genomics-batch-task-failed-to-alerts",
            "genomics-batch-queue-blocked", "genomics-batch-queue-blocked-to-alerts",
            "genomics-batch-spot-interruption", "genomics-batch-spot-interruption-to-alerts",
            "genomics-batch-provisioning-failures-alarm", "genomics-batch-failed-tasks-alarm",
            "genomics-batch-failed-runs-alarm", "genomics-batch-blocked-queues-alarm",
            "genomics-batch-spot-interruptions-alarm", "genomics-batch-dashboard");
    /** What bootLoopStop adds. */
    public static final List<String> BOOT_LOOP_RESOURCES = List.of("genomics-batch-boot-loop-stop",
            "genomics-batch-boot-loop-stop-role", "genomics-batch-boot-loop-stop-role-batch",
            "genomics-batch-boot-loop-stop-rule", "genomics-batch-boot-loop-stop-events-role",
            "genomics-batch-boot-loop-stop-events-role-automation", "genomics-batch-boot-loop-stop-target");

    public static String subscriptionName(String email) {
        return AlertTopic.subscriptionName("genomics-batch-alerts", email);
    }

    static Recording prod() {
        return new Recording(succeeded(TestStacks.runStackFile("prod", TestStacks.answersFor("prod"))));
    }

    static Recording dev(Map<String, String> config) {
        var values = new HashMap<>(Map.of("spotMaxVcpus", "64", "onDemandMaxVcpus", "16"));
        values.putAll(config);
        return new Recording(succeeded(TestStacks.run("dev", values)));
    }

    record Recording(Recorder.Recording r) {
        PlannedResource get(String name) {
            return resource(r, name);
        }

        Set<String> names() {
            return r.resources().stream().map(PlannedResource::name).collect(Collectors.toSet());
        }
    }

    static JsonObject json(Object text) {
        return JsonParser.parseString((String) text).getAsJsonObject();
    }

    @Test
    void devBuildsNothingOfItByDefault() {
        var dev = dev(Map.of());
        var alertTypes = Set.of(TOPIC, RULE, ALARM, "aws:kms/key:Key", "aws:cloudwatch/dashboard:Dashboard",
                "aws:ssm/document:Document", "aws:sns/topicSubscription:TopicSubscription");
        assertThat(dev.r().resources()).noneMatch(res -> alertTypes.contains(res.type()));
        assertThat(dev.r().outputs()).doesNotContainKey("alertTopicArn");
    }

    @Test
    void prodCreatesAnEncryptedTopicWithOneSubscriptionPerAddress() {
        var prod = prod();
        var topic = prod.get("genomics-batch-alerts");
        assertThat(input(topic, "name")).isEqualTo("genomics-batch-prod-alerts");
        assertThat(input(topic, "kmsMasterKeyId")).isEqualTo(arn("aws:kms/key:Key", "genomics-batch-alerts-key"));
        var key = prod.get("genomics-batch-alerts-key");
        assertThat(input(key, "enableKeyRotation")).isEqualTo(true);
        var publishers = json(input(key, "policy")).getAsJsonArray("Statement").get(1).getAsJsonObject();
        assertThat(publishers.getAsJsonObject("Principal").getAsJsonArray("Service").asList())
                .extracting(e -> e.getAsString())
                .containsExactlyInAnyOrder("events.amazonaws.com", "cloudwatch.amazonaws.com", "budgets.amazonaws.com");
        assertThat(input(prod.get("genomics-batch-alerts-key-alias"), "name"))
                .isEqualTo("alias/genomics-batch-prod-alerts");
        var subscription = prod.get(subscriptionName("genomics-alerts@example.org"));
        assertThat(subscription.inputs()).containsEntry("protocol", "email")
                .containsEntry("endpoint", "genomics-alerts@example.org")
                .containsEntry("topic", arn(TOPIC, "genomics-batch-alerts"));
        assertThat(prod.r().outputs()).containsEntry("alertTopicArn", arn(TOPIC, "genomics-batch-alerts"));
    }

    @Test
    void subscriptionsAreNamedByAddressSoThatReorderingReplacesNothing() {
        var a = dev(Map.of("alertEmails", "[\"a@example.org\",\"b@example.org\"]"));
        var b = dev(Map.of("alertEmails", "[\"b@example.org\",\"a@example.org\"]"));
        var subscriptions = ofType(a.r(), "aws:sns/topicSubscription:TopicSubscription").stream()
                .collect(Collectors.toMap(PlannedResource::name, s -> input(s, "endpoint")));
        // Addresses that differ in case only are two subscriptions (a name used twice would fail the deployment).
        assertThat(ofType(dev(Map.of("alertEmails", "[\"Lab@example.org\",\"lab@example.org\"]")).r(),
                "aws:sns/topicSubscription:TopicSubscription")).hasSize(2);
        assertThat(subscriptions).hasSize(2).isEqualTo(ofType(b.r(), "aws:sns/topicSubscription:TopicSubscription")
                .stream().collect(Collectors.toMap(PlannedResource::name, s -> input(s, "endpoint"))));
    }

    @Test
    void theTopicPolicyLetsOnlyThisEnvironmentsRulesAlarmsAndBudgetsPublish() {
        var prod = prod();
        var policy = json(input(prod.get("genomics-batch-alerts-policy"), "policy"));
        assertThat(input(prod.get("genomics-batch-alerts-policy"), "arn")).isEqualTo(arn(TOPIC, "genomics-batch-alerts"));
        var statements = policy.getAsJsonArray("Statement").asList().stream().map(e -> e.getAsJsonObject()).toList();
        var rules = ofType(prod.r(), RULE).stream().map(PlannedResource::name)
                .filter(n -> !n.equals("genomics-batch-boot-loop-stop-rule")).map(n -> arn(RULE, n)).toList();
        var alarms = ofType(prod.r(), ALARM).stream().map(a -> arn(ALARM, a.name())).toList();
        assertThat(rules).hasSize(AlertRule.values().length);
        assertThat(alarms).hasSize(Alarm.values().length);
        var expected = Map.of("events.amazonaws.com", rules, "cloudwatch.amazonaws.com", alarms,
                "budgets.amazonaws.com", List.of("arn:aws:budgets::123456789012:budget/genomics-batch-prod-*"));
        assertThat(statements).hasSize(3).allSatisfy(s -> {
            var service = s.getAsJsonObject("Principal").get("Service").getAsString();
            assertThat(s.get("Action").getAsString()).isEqualTo("sns:Publish");
            assertThat(s.get("Resource").getAsString()).isEqualTo(arn(TOPIC, "genomics-batch-alerts"));
            var condition = s.getAsJsonObject("Condition");
            assertThat(condition.getAsJsonObject("StringEquals").get("aws:SourceAccount").getAsString())
                    .isEqualTo(AwsAnswers.ACCOUNT);
            var arnCondition = condition.has("ArnEquals") ? condition.getAsJsonObject("ArnEquals")
                    : condition.getAsJsonObject("ArnLike");
            assertThat(arnCondition.getAsJsonArray("aws:SourceArn").asList()).extracting(e -> e.getAsString())
                    .containsExactlyInAnyOrderElementsOf(expected.get(service));
        });
    }

    @Test
    void everyRuleSendsItsMessageToTheTopic() {
        var prod = prod();
        for (var rule : AlertRule.values()) {
            var target = prod.get("genomics-batch-" + rule.suffix() + "-to-alerts");
            assertThat(target.inputs()).containsEntry("arn", arn(TOPIC, "genomics-batch-alerts"))
                    .containsEntry("rule", "genomics-batch-" + rule.suffix() + "-generated");
            assertThat(input(target, "inputTransformer", "inputTemplate")).isEqualTo(rule.inputTemplate(
                    "genomics-batch-prod"));
        }
    }

    @Test
    void alarmsCountTheirMetricsAndNotifyTheTopic() {
        var prod = prod();
        for (var alarm : Alarm.values()) {
            var res = prod.get("genomics-batch-" + alarm.suffix() + "-alarm");
            assertThat(res.inputs()).as(alarm.name())
                    .containsEntry("name", "genomics-batch-prod-" + alarm.suffix())
                    .containsEntry("statistic", "Sum")
                    .containsEntry("comparisonOperator", "GreaterThanOrEqualToThreshold")
                    .containsEntry("treatMissingData", "notBreaching")
                    .containsEntry("alarmActions", List.of(arn(TOPIC, "genomics-batch-alerts")));
        }
        var provisioning = prod.get("genomics-batch-provisioning-failures-alarm");
        assertThat(provisioning.inputs()).containsEntry("namespace", "GenomicsBatch")
                .containsEntry("metricName", "ProvisioningFailed")
                .containsEntry("dimensions", Map.of("Environment", "genomics-batch-prod"))
                .containsEntry("threshold", 3.0);
        assertThat(((Number) input(provisioning, "period")).intValue()).isEqualTo(15 * 60);
        assertThat((String) input(provisioning, "alarmDescription")).contains("disables the compute environments");
        // bootLoopFailures sets the count.
        assertThat(input(dev(Map.of("bootLoopStop", "true", "bootLoopFailures", "5"))
                .get("genomics-batch-provisioning-failures-alarm"), "threshold")).isEqualTo(5.0);
    }

    @Test
    void aTopicOfOnesOwnIsUsedAsItIsWithNothingCreatedForIt() {
        var own = "arn:aws:sns:us-east-1:123456789012:lab-alerts";
        var dev = dev(Map.of("alertTopicArn", own));
        assertThat(dev.names()).doesNotContain("genomics-batch-alerts", "genomics-batch-alerts-key",
                "genomics-batch-alerts-policy");
        assertThat(input(dev.get("genomics-batch-task-failed-to-alerts"), "arn")).isEqualTo(own);
        assertThat(input(dev.get("genomics-batch-failed-runs-alarm"), "alarmActions")).isEqualTo(List.of(own));
        assertThat(dev.r().outputs()).containsEntry("alertTopicArn", own);
        assertThat(dev.names()).doesNotContainAnyElementsOf(BOOT_LOOP_RESOURCES);
    }

    @Test
    void theBootLoopStopWorksWithoutATopic() {
        var dev = dev(Map.of("bootLoopStop", "true"));
        var added = new HashSet<>(dev.names());
        added.removeAll(dev(Map.of()).names());
        var expected = new ArrayList<>(BOOT_LOOP_RESOURCES);
        expected.add("genomics-batch-provisioning-failures-alarm");
        assertThat(added).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(dev.get("genomics-batch-provisioning-failures-alarm").inputs()).doesNotContainKey("alarmActions");
    }

    @Test
    void theAutomationDisablesEveryComputeEnvironmentOfThisEnvironmentAndNothingElse() {
        var dev = dev(Map.of("bootLoopStop", "true", "gpuMaxVcpus", "8"));
        var ces = ofType(dev.r(), CE).stream().map(c -> arn(CE, c.name())).toList();
        assertThat(ces).hasSize(3);
        var doc = dev.get("genomics-batch-boot-loop-stop");
        assertThat(doc.inputs()).containsEntry("name", "genomics-batch-dev-stop-boot-loop")
                .containsEntry("documentType", "Automation");
        var content = json(input(doc, "content"));
        assertThat(content.get("assumeRole").getAsString()).isEqualTo(arn(ROLE, "genomics-batch-boot-loop-stop-role"));
        var steps = content.getAsJsonArray("mainSteps").asList().stream().map(e -> e.getAsJsonObject()).toList();
        assertThat(steps).extracting(s -> s.get("name").getAsString())
                .containsExactly("DisableSpot", "DisableOnDemand", "DisableGpu");
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.get("action").getAsString()).isEqualTo("aws:executeAwsApi");
            var in = s.getAsJsonObject("inputs");
            assertThat(in.get("Service").getAsString()).isEqualTo("batch");
            assertThat(in.get("Api").getAsString()).isEqualTo("UpdateComputeEnvironment");
            assertThat(in.get("state").getAsString()).isEqualTo("DISABLED");
        });
        assertThat(steps).extracting(s -> s.getAsJsonObject("inputs").get("computeEnvironment").getAsString())
                .containsExactlyElementsOf(ces);
        var policy = json(input(dev.get("genomics-batch-boot-loop-stop-role-batch"), "policy"))
                .getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertThat(policy.getAsJsonArray("Action").asList()).extracting(e -> e.getAsString())
                .containsExactly("batch:UpdateComputeEnvironment");
        assertThat(policy.getAsJsonArray("Resource").asList()).extracting(e -> e.getAsString())
                .containsExactlyInAnyOrderElementsOf(ces);
        var target = dev.get("genomics-batch-boot-loop-stop-target");
        assertThat(target.inputs()).containsEntry("arn",
                        "arn:aws:ssm:us-east-1:123456789012:automation-definition/genomics-batch-dev-stop-boot-loop")
                .containsEntry("roleArn", arn(ROLE, "genomics-batch-boot-loop-stop-events-role"))
                .containsEntry("input", "{}");
    }

    @Test
    void newResourcesAreChildrenOfTheComponentAndProtectedInProdLikeTheOthers() {
        var prod = prod();
        var unprotected = Set.of("genomics-batch-alerts-policy", subscriptionName("genomics-alerts@example.org"),
                "genomics-batch-boot-loop-stop-role-batch", "genomics-batch-boot-loop-stop-events-role-automation",
                "genomics-batch-boot-loop-stop-target");
        var names = new ArrayList<>(ALERT_RESOURCES);
        names.addAll(BOOT_LOOP_RESOURCES);
        names.add(subscriptionName("genomics-alerts@example.org"));
        for (var name : names) {
            var res = prod.get(name);
            assertThat(res.parent()).as(name).contains("genomics-batch");
            var expectProtect = !unprotected.contains(name) && !name.endsWith("-to-alerts");
            assertThat(res.protect()).as(name).isEqualTo(expectProtect);
        }
        var dev = dev(Map.of("alertEmails", "[\"lab@example.org\"]", "bootLoopStop", "true"));
        assertThat(dev.r().resources()).noneMatch(PlannedResource::protect);
    }

    /**
     * Every metric an alarm or the dashboard names has a producer in this stack: an EventBridge rule it
     * registered (AWS/Events TriggeredRules by RuleName), or the hosts' ProvisioningFailed with the environment
     * their user data puts (and the instance role may put in that namespace).
     */
    @Test
    void everyMetricAnAlarmOrTheDashboardNamesHasAProducer() {
        var prod = prod();
        var producers = new HashSet<Alarm.Metric>();
        // EventBridge's per-rule match count (EventBridge user guide, "Monitoring Amazon EventBridge").
        ofType(prod.r(), RULE).forEach(rule -> producers.add(new Alarm.Metric("AWS/Events", "TriggeredRules",
                Map.of("RuleName", rule.name() + "-generated"))));
        // What the hosts' user data puts when provisioning fails, as it puts it.
        var userData = new String(Base64.getDecoder().decode((String) input(
                prod.get("genomics-batch-host-launch-template"), "userData")), StandardCharsets.US_ASCII);
        var files = UserData.files(userData);
        var put = Pattern.compile("Namespace=(\\w+) .*MetricName=(\\w+) .*Dimensions\\.member\\.1\\.Name=(\\w+) .*"
                + "Dimensions\\.member\\.1\\.Value=\\$\\{GB_TAG_VALUE", Pattern.DOTALL).matcher(files.get("lib.sh"));
        var tag = Pattern.compile("GB_TAG_VALUE=(\\S+)").matcher(files.get("00-host-env.sh"));
        assertThat(put.find()).isTrue();
        assertThat(tag.find()).isTrue();
        producers.add(new Alarm.Metric(put.group(1), put.group(2), Map.of(put.group(3), tag.group(1))));
        assertThat((String) input(prod.get("genomics-batch-instance-role-storage-growth"), "policy"))
                .contains("cloudwatch:PutMetricData").contains("\"cloudwatch:namespace\":\"GenomicsBatch\"");

        var named = new ArrayList<Alarm.Metric>();
        for (var alarm : ofType(prod.r(), ALARM)) {
            @SuppressWarnings("unchecked")
            var dimensions = (Map<String, String>) input(alarm, "dimensions");
            named.add(new Alarm.Metric((String) input(alarm, "namespace"), (String) input(alarm, "metricName"),
                    dimensions));
        }
        var body = json(input(prod.get("genomics-batch-dashboard"), "dashboardBody"));
        for (var widget : body.getAsJsonArray("widgets")) {
            for (var line : widget.getAsJsonObject().getAsJsonObject("properties").getAsJsonArray("metrics")) {
                var parts = line.getAsJsonArray().asList().stream().map(e -> e.getAsString()).toList();
                var dimensions = new HashMap<String, String>();
                for (var i = 2; i + 1 < parts.size(); i += 2) {
                    dimensions.put(parts.get(i), parts.get(i + 1));
                }
                named.add(new Alarm.Metric(parts.get(0), parts.get(1), dimensions));
            }
        }
        assertThat(named).hasSize(2 * Alarm.values().length);
        assertThat(producers).containsAll(named);
        assertThat(input(prod.get("genomics-batch-dashboard"), "dashboardName")).isEqualTo("genomics-batch-prod");
    }

    @Test
    void groupNamesThatReadAlikeGetStepsOfTheirOwnInTheBootLoopStop() {
        // SSM refuses a document with two steps of one name; "a-b" and "a_b" are two valid, distinct groups.
        var envs = new java.util.LinkedHashMap<String, String>();
        envs.put("spot", "arn:spot");
        envs.put("group-a-b", "arn:ab1");
        envs.put("group-a_b", "arn:ab2");
        envs.put("group-A-b", "arn:ab3");
        var doc = JsonParser.parseString(BootLoopStop.documentContent("genomics-batch-dev",
                "arn:aws:iam::123456789012:role/r", envs)).getAsJsonObject();
        var names = new ArrayList<String>();
        doc.getAsJsonArray("mainSteps").forEach(step -> names.add(step.getAsJsonObject().get("name").getAsString()));
        assertThat(names).containsExactly("DisableSpot", "DisableGroupAB", "DisableGroupAB_2", "DisableGroupAB_3");
    }
}
