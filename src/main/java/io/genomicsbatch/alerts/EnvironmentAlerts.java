package io.genomicsbatch.alerts;

import com.pulumi.aws.cloudwatch.Dashboard;
import com.pulumi.aws.cloudwatch.DashboardArgs;
import com.pulumi.aws.cloudwatch.EventRule;
import com.pulumi.aws.cloudwatch.EventRuleArgs;
import com.pulumi.aws.cloudwatch.EventTarget;
import com.pulumi.aws.cloudwatch.EventTargetArgs;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.aws.cloudwatch.inputs.EventTargetInputTransformerArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.iam.AwsAccount;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Notifications, alarms, the dashboard and the boot-loop stop of one environment, as its settings ask: nothing
 * without alertEmails, alertTopicArn or bootLoopStop, so a stack costs nothing extra by default.
 */
public final class EnvironmentAlerts {
    private EnvironmentAlerts() {
    }

    /**
     * @param queues              the queues' ARNs: the head-job queue's and the task queues'
     * @param computeEnvironments spec name -> ARN, for the boot-loop stop
     * @param environmentTag      the value hosts put as the ProvisioningFailed metric's Environment dimension
     * @param roleRules           the permissions boundary and path of the boot-loop stop's roles
     */
    public record Props(String name, String namePrefix, Settings.Alerts alerts, Output<AlertRule.Queues> queues,
                        Output<Map<String, String>> computeEnvironments, String environmentTag,
                        Output<AwsAccount> account, Settings.Iam roleRules, Map<String, String> tags, boolean protect,
                        Resource parent) {
    }

    /** The topic alerts go to (created, or the configured one), when alerts are configured. */
    public static Optional<Output<String>> create(Props p) {
        var a = p.alerts();
        var options = CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build();
        var plain = CustomResourceOptions.builder().parent(p.parent()).build();
        Optional<Output<String>> topicArn = Optional.empty();
        if (!a.emails().isEmpty()) {
            topicArn = Optional.of(AlertTopic.create(new AlertTopic.Props(p.name() + "-alerts", p.namePrefix(),
                    a.emails(), p.account(), p.tags(), p.protect(), p.parent())).arn());
        } else if (a.topicArn().isPresent()) {
            topicArn = Optional.of(Output.of(a.topicArn().get()));
        }

        var rules = new EnumMap<AlertRule, EventRule>(AlertRule.class);
        if (topicArn.isPresent()) {
            for (var r : AlertRule.values()) {
                var rule = new EventRule(p.name() + "-" + r.suffix(), EventRuleArgs.builder()
                        .description(r.description(p.namePrefix()))
                        .eventPattern(p.queues().applyValue(r::patternJson))
                        .tags(p.tags())
                        .build(), options);
                new EventTarget(p.name() + "-" + r.suffix() + "-to-alerts", EventTargetArgs.builder()
                        .rule(rule.name())
                        .arn(topicArn.get())
                        .inputTransformer(EventTargetInputTransformerArgs.builder()
                                .inputPaths(r.inputPaths())
                                .inputTemplate(r.inputTemplate(p.namePrefix()))
                                .build())
                        .build(), plain);
                rules.put(r, rule);
            }
        }

        var alarms = new ArrayList<MetricAlarm>();
        for (var alarm : Alarm.values()) {
            var wanted = alarm == Alarm.PROVISIONING_FAILURES ? a.provisioningAlarm() : topicArn.isPresent();
            if (wanted) {
                alarms.add(alarm(p, alarm, alarm.rule().map(r -> rules.get(r).name()), topicArn, options));
            }
        }
        if (a.bootLoopStop()) {
            BootLoopStop.create(new BootLoopStop.Props(p.name() + "-boot-loop-stop", p.namePrefix(),
                    p.computeEnvironments(), Alarm.PROVISIONING_FAILURES.alarmName(p.namePrefix()), p.account(),
                    p.roleRules(), p.tags(), p.protect(), p.parent()));
        }
        if (topicArn.isPresent()) {
            var ruleNames = Output.all(rules.values().stream().map(EventRule::name).toList());
            new Dashboard(p.name() + "-dashboard", DashboardArgs.builder()
                    .dashboardName(p.namePrefix())
                    .dashboardBody(Output.tuple(p.account(), ruleNames)
                            .applyValue(t -> Dashboards.body(p.namePrefix(), t.t1.region(), p.environmentTag(),
                                    names(rules.keySet(), t.t2))))
                    .build(), options);
        }
        if (!a.emails().isEmpty()) {
            AlertTopic.policy(p.name() + "-alerts", p.namePrefix(), topicArn.get(), p.account(),
                    Output.all(rules.values().stream().map(EventRule::arn).toList()),
                    Output.all(alarms.stream().map(MetricAlarm::arn).toList()), p.parent());
        }
        return topicArn;
    }

    private static Map<AlertRule, String> names(java.util.Set<AlertRule> rules, List<String> names) {
        var byRule = new LinkedHashMap<AlertRule, String>();
        var i = 0;
        for (var r : rules) {
            byRule.put(r, names.get(i++));
        }
        return byRule;
    }

    private static MetricAlarm alarm(Props p, Alarm alarm, Optional<Output<String>> ruleName,
                                     Optional<Output<String>> topicArn, CustomResourceOptions options) {
        var metric = ruleName.map(n -> n.applyValue(Alarm.Metric::rule))
                .orElse(Output.of(Alarm.Metric.provisioningFailed(p.environmentTag())));
        var stops = alarm == Alarm.PROVISIONING_FAILURES && p.alerts().bootLoopStop();
        var description = p.namePrefix() + ": " + alarm.meaning() + " (at least "
                + alarm.threshold(p.alerts().bootLoopFailures()) + " in " + alarm.minutes() + " minutes)."
                + (stops ? " The boot-loop stop disables the compute environments; the runbook in docs/operations.md "
                + "finds the cause and re-enables them." : "") + " What to do: docs/alerts.md.";
        var args = MetricAlarmArgs.builder()
                .name(alarm.alarmName(p.namePrefix()))
                .alarmDescription(description)
                .namespace(metric.applyValue(Alarm.Metric::namespace))
                .metricName(metric.applyValue(Alarm.Metric::name))
                .dimensions(metric.applyValue(Alarm.Metric::dimensions))
                .statistic("Sum")
                .period(alarm.minutes() * 60)
                .evaluationPeriods(1)
                .threshold((double) alarm.threshold(p.alerts().bootLoopFailures()))
                .comparisonOperator("GreaterThanOrEqualToThreshold")
                // No data is the normal case: these metrics exist only when something happens.
                .treatMissingData("notBreaching")
                .tags(p.tags());
        topicArn.ifPresent(arn -> args.alarmActions(arn.applyValue(List::of)));
        return new MetricAlarm(p.name() + "-" + alarm.suffix() + "-alarm", args.build(), options);
    }
}
