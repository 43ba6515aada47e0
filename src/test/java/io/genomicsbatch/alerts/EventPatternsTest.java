package io.genomicsbatch.alerts;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.genomicsbatch.alerts.EventMatcher.matches;
import static io.genomicsbatch.alerts.EventMatcher.sample;
import static io.genomicsbatch.alerts.EventMatcher.with;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules' event patterns, as the program registers them for the prod fixture (alerts by e-mail, the boot-loop
 * stop), against AWS's published sample events (src/test/resources/.../events/SOURCES.md) and variants of them:
 * which events each rule must match, and which it must not.
 */
class EventPatternsTest {

    static final String QUEUE = "aws:batch/jobQueue:JobQueue";
    static final String HEAD = AwsAnswers.arn(QUEUE, "genomics-batch-head-job");
    static final String DEFAULT = AwsAnswers.arn(QUEUE, "genomics-batch-default");
    static final String HIGH = AwsAnswers.arn(QUEUE, "genomics-batch-high-priority");
    /** A queue of another environment in the same account. */
    static final String OTHER = "arn:aws:batch:us-east-1:123456789012:job-queue/genomics-batch-staging-default";
    static final String REASON = "Essential container in task exited";

    static Recorder.Recording prod;
    static Map<AlertRule, String> patterns = new LinkedHashMap<>();

    @BeforeAll
    static void plan() {
        prod = TestStacks.succeeded(TestStacks.runStackFile("prod", TestStacks.answersFor("prod")));
        for (var rule : AlertRule.values()) {
            patterns.put(rule, (String) input(resource(prod, "genomics-batch-" + rule.suffix()), "eventPattern"));
        }
    }

    /** The alert rules an event matches. */
    static Set<AlertRule> matched(JsonObject event) {
        return patterns.entrySet().stream().filter(e -> matches(e.getValue(), event)).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(AlertRule.class)));
    }

    static JsonObject jobState(String queue, String status) {
        var event = with(with(sample("batch-job-state-change.json"), "detail.jobQueue", queue), "detail.status", status);
        return status.equals("FAILED") ? with(event, "detail.statusReason", REASON) : event;
    }

    @Test
    void aRunEndsWithOneMessageFromItsHeadJobOnly() {
        assertThat(matched(jobState(HEAD, "SUCCEEDED"))).containsExactly(AlertRule.RUN_SUCCEEDED);
        assertThat(matched(jobState(HEAD, "FAILED"))).containsExactly(AlertRule.RUN_FAILED);
        // The head job's other states say nothing.
        for (var status : new String[]{"SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"}) {
            assertThat(matched(jobState(HEAD, status))).as(status).isEmpty();
        }
        // A task that ends is no run.
        assertThat(matched(jobState(DEFAULT, "SUCCEEDED"))).isEmpty();
    }

    @Test
    void aFailedTaskOnAnyTaskQueueOfThisEnvironmentOnly() {
        assertThat(matched(jobState(DEFAULT, "FAILED"))).containsExactly(AlertRule.TASK_FAILED);
        assertThat(matched(jobState(HIGH, "FAILED"))).containsExactly(AlertRule.TASK_FAILED);
        assertThat(matched(jobState(OTHER, "FAILED"))).isEmpty();
        assertThat(matched(jobState(DEFAULT, "RUNNING"))).isEmpty();
    }

    @Test
    void awsPublishedSamplesOfOtherQueuesMatchNothing() {
        // As published: a RUNNABLE job, a queue blocked, both on a queue that is not this environment's.
        assertThat(matched(sample("batch-job-state-change.json"))).isEmpty();
        assertThat(matched(sample("batch-job-queue-blocked.json"))).isEmpty();
        assertThat(matched(sample("cloudwatch-alarm-state-change.json"))).isEmpty();
    }

    @Test
    void aBlockedQueueOfThisEnvironment() {
        var blocked = sample("batch-job-queue-blocked.json");
        for (var queue : new String[]{HEAD, DEFAULT, HIGH}) {
            assertThat(matched(with(blocked, "detail.jobQueue", queue))).as(queue)
                    .containsExactly(AlertRule.QUEUE_BLOCKED);
        }
        assertThat(matched(with(blocked, "detail.jobQueue", OTHER))).isEmpty();
        // A RUNNABLE job's state change on our queue is no blocked queue (the detail type differs).
        assertThat(matched(jobState(DEFAULT, "RUNNABLE"))).isEmpty();
    }

    @Test
    void spotWarningsMatchWhateverTheInstanceSinceTheEventCarriesNoTags() {
        var warning = sample("ec2-spot-instance-interruption-warning.json");
        assertThat(matched(warning)).containsExactly(AlertRule.SPOT_INTERRUPTION);
        assertThat(matched(with(warning, "detail-type", "EC2 Instance Rebalance Recommendation"))).isEmpty();
        assertThat(matched(with(warning, "source", "aws.batch"))).isEmpty();
    }

    @Test
    void theBootLoopRuleMatchesItsAlarmEnteringAlarmOnly() {
        var rule = (String) input(resource(prod, "genomics-batch-boot-loop-stop-rule"), "eventPattern");
        var ours = with(sample("cloudwatch-alarm-state-change.json"), "detail.alarmName",
                "genomics-batch-prod-provisioning-failures");
        assertThat(matches(rule, ours)).isTrue();
        assertThat(matches(rule, sample("cloudwatch-alarm-state-change.json"))).as("another alarm").isFalse();
        assertThat(matches(rule, with(ours, "detail.state.value", "OK"))).as("back to OK").isFalse();
        assertThat(matches(rule, with(ours, "detail-type", "CloudWatch Alarm Configuration Change")))
                .as("an update of the alarm").isFalse();
        // Nor does any alert rule take it.
        assertThat(matched(ours)).isEmpty();
    }

    @Test
    void everyMessageIsReadableTextWithTheEventsFacts() {
        var events = Map.of(
                AlertRule.RUN_SUCCEEDED, jobState(HEAD, "SUCCEEDED"),
                AlertRule.RUN_FAILED, jobState(HEAD, "FAILED"),
                AlertRule.TASK_FAILED, jobState(DEFAULT, "FAILED"),
                AlertRule.QUEUE_BLOCKED, with(sample("batch-job-queue-blocked.json"), "detail.jobQueue", DEFAULT),
                AlertRule.SPOT_INTERRUPTION, sample("ec2-spot-instance-interruption-warning.json"));
        for (var rule : AlertRule.values()) {
            var target = resource(prod, "genomics-batch-" + rule.suffix() + "-to-alerts");
            @SuppressWarnings("unchecked")
            var paths = (Map<String, String>) input(target, "inputTransformer", "inputPaths");
            var template = (String) input(target, "inputTransformer", "inputTemplate");
            var event = events.get(rule);
            assertThat(matched(event)).as(rule.name()).containsExactly(rule);
            // Every field the message names is in the event.
            paths.forEach((name, path) -> assertThat(EventMatcher.at(event, path)).as(rule + " " + path).isNotNull());
            var message = EventMatcher.render(paths, template, event);
            assertThat(message).as(rule.name()).doesNotContain("<", ">");
            if (rule != AlertRule.RUN_SUCCEEDED) {
                assertThat(message).as(rule.name()).contains("What to do: docs/alerts.md");
            }
            switch (rule) {
                case SPOT_INTERRUPTION -> assertThat(message).contains("i-1234567890abcdef0", "us-east-2",
                        "genomics-batch-prod", "not only");
                case QUEUE_BLOCKED -> assertThat(message).startsWith("genomics-batch-prod: queue " + DEFAULT)
                        .contains("blocked-reason", "event-test");
                default -> assertThat(message).startsWith("genomics-batch-prod: ").contains("event-test",
                        "4c7599ae-0a82-49aa-ba5a-4727fcce14a8", rule == AlertRule.RUN_SUCCEEDED ? "SUCCEEDED" : REASON);
            }
        }
    }

    @Test
    void theMatcherRefusesPatternsBeyondItsSubset() {
        var event = sample("batch-job-state-change.json");
        assertThatThrownBy(() -> matches("{\"source\":\"aws.batch\"}", event)).hasMessageContaining("array");
        assertThatThrownBy(() -> matches("{\"source\":[{\"wildcard\":\"aws.*\"}]}", event))
                .hasMessageContaining("wildcard");
        assertThat(matches("{\"source\":[{\"prefix\":\"aws.\"}]}", event)).isTrue();
        assertThat(matches("{\"detail\":{\"status\":[{\"anything-but\":[\"RUNNABLE\"]}]}}", event)).isFalse();
        assertThat(matches("{\"resources\":[\"" + JsonParser.parseString(event.get("resources").toString())
                .getAsJsonArray().get(0).getAsString() + "\"]}", event)).as("any item of an array").isTrue();
        assertThat(matches("{\"detail\":{\"statusReason\":[\"x\"]}}", event)).as("a missing field").isFalse();
    }

    @Test
    void patternsNameTheQueuesTheProgramRegistered() {
        var queues = TestStacks.ofType(prod, QUEUE).stream().map(PlannedResource::name)
                .map(n -> AwsAnswers.arn(QUEUE, n)).collect(Collectors.toSet());
        var blocked = JsonParser.parseString(patterns.get(AlertRule.QUEUE_BLOCKED)).getAsJsonObject()
                .getAsJsonObject("detail").getAsJsonArray("jobQueue").asList().stream()
                .map(e -> e.getAsString()).collect(Collectors.toSet());
        assertThat(blocked).isEqualTo(queues);
    }
}
