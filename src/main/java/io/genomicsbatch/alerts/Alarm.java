package io.genomicsbatch.alerts;

import io.genomicsbatch.compute.UserData;

import java.util.Map;
import java.util.Optional;

/**
 * The CloudWatch alarms: a rate of events over a window, where the rules' messages report each event. Every
 * metric has a producer in the stack: EventBridge counts each rule's matches ({@value #EVENTS_NAMESPACE}
 * {@value #TRIGGERED_RULES} by {@code RuleName}), and a host that fails to provision puts
 * {@code GenomicsBatch/ProvisioningFailed} with its {@code Environment}.
 */
public enum Alarm {
    PROVISIONING_FAILURES("provisioning-failures", Optional.empty(), 3, 15,
            "hosts failed to provision (boot watchdog or a failed boot step); each powered itself off"),
    FAILED_TASKS("failed-tasks", Optional.of(AlertRule.TASK_FAILED), 10, 60,
            "many tasks failed within an hour: look for a common cause (image, permissions, data, memory)"),
    FAILED_RUNS("failed-runs", Optional.of(AlertRule.RUN_FAILED), 3, 60,
            "several workflow runs failed within an hour"),
    BLOCKED_QUEUES("blocked-queues", Optional.of(AlertRule.QUEUE_BLOCKED), 3, 60,
            "jobs kept blocking the queues within an hour: capacity or a job asking for more than the compute "
                    + "environments offer"),
    SPOT_INTERRUPTIONS("spot-interruptions", Optional.of(AlertRule.SPOT_INTERRUPTION), 10, 60,
            "many Spot interruption warnings within an hour (every Spot instance of the account and region)");

    public static final String EVENTS_NAMESPACE = "AWS/Events";
    public static final String TRIGGERED_RULES = "TriggeredRules";
    public static final String RULE_NAME = "RuleName";
    public static final String ENVIRONMENT = "Environment";

    private final String suffix;
    private final Optional<AlertRule> rule;
    private final int threshold;
    private final int minutes;
    private final String meaning;

    Alarm(String suffix, Optional<AlertRule> rule, int threshold, int minutes, String meaning) {
        this.suffix = suffix;
        this.rule = rule;
        this.threshold = threshold;
        this.minutes = minutes;
        this.meaning = meaning;
    }

    public String suffix() {
        return suffix;
    }

    /** The rule whose matches it counts; empty for the hosts' metric. */
    public Optional<AlertRule> rule() {
        return rule;
    }

    /** The alarm's AWS name, shown in every notification: "&lt;namePrefix&gt;-&lt;suffix&gt;". */
    public String alarmName(String namePrefix) {
        return namePrefix + "-" + suffix;
    }

    /** At least this many in {@link #minutes}; the boot loop's count is configurable (bootLoopFailures). */
    public int threshold(int bootLoopFailures) {
        return this == PROVISIONING_FAILURES ? bootLoopFailures : threshold;
    }

    public int minutes() {
        return minutes;
    }

    public String meaning() {
        return meaning;
    }

    /** A CloudWatch metric: namespace, name and dimensions. */
    public record Metric(String namespace, String name, Map<String, String> dimensions) {
        public Metric {
            dimensions = Map.copyOf(dimensions);
        }

        /** The rule's match count. */
        public static Metric rule(String ruleName) {
            return new Metric(EVENTS_NAMESPACE, TRIGGERED_RULES, Map.of(RULE_NAME, ruleName));
        }

        /** The hosts' provisioning failures of one environment (the value of the environment tag). */
        public static Metric provisioningFailed(String environmentTag) {
            return new Metric(UserData.METRIC_NAMESPACE, UserData.PROVISIONING_FAILED_METRIC,
                    Map.of(ENVIRONMENT, environmentTag));
        }
    }
}
