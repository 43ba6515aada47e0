package io.genomicsbatch;

import io.genomicsbatch.alerts.AlertRule;
import io.genomicsbatch.budget.EnvironmentBudget;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.Lineup;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.iam.InlinePolicyBudget;
import io.genomicsbatch.iam.SubmitterPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * What groups must fit besides their own rules (SettingsValidator), judged with the stack's name prefix: their
 * names in AWS names, and their queues in the documents that list every queue (the budget stop's policy, the
 * alert rules' patterns; the head-job role and submitter policy are {@link InlinePolicyBudget}'s and
 * {@link SubmitterPolicy}'s), as long as AWS could write them. Nothing is judged without groups.
 */
final class GroupLimits {
    private GroupLimits() {
    }

    /**
     * A compute environment name prefix: pulumi-aws 6.83.0 (terraform-provider-aws) allows 102 characters, so
     * that its 26-character unique suffix keeps the name within AWS Batch's 128.
     */
    static final int MAX_ENVIRONMENT_NAME_PREFIX = 102;
    /** A job queue's name: AWS Batch allows 128 characters. */
    static final int MAX_QUEUE_NAME = 128;
    /** EventBridge's default quota on an event pattern's size (raised up to 4096 on request only). */
    static final int MAX_EVENT_PATTERN_CHARACTERS = 2_048;

    static List<ConfigProblem> check(String namePrefix, Settings.Environment settings) {
        var groups = settings.groups().list();
        var problems = new ArrayList<ConfigProblem>();
        if (groups.isEmpty()) {
            return problems;
        }
        // The environment's name prefix is "<namePrefix>-<spec>-", the queue "<namePrefix>-<spec>".
        var room = Math.min(MAX_ENVIRONMENT_NAME_PREFIX - namePrefix.length() - 2,
                MAX_QUEUE_NAME - namePrefix.length() - 1) - "group-".length();
        var tooLong = groups.stream().map(Settings.Group::name).filter(n -> n.length() > room).toList();
        if (!tooLong.isEmpty()) {
            problems.add(new ConfigProblem(List.of(ConfigKey.GROUPS), ConfigKey.GROUPS.fullKey() + ": got names "
                    + ConfigProblem.render(tooLong) + "; expected at most " + Math.max(room, 0) + " characters each:"
                    + " a group's compute environment is named " + namePrefix + "-group-NAME- and a unique suffix"
                    + " (" + MAX_ENVIRONMENT_NAME_PREFIX + " characters before the suffix in pulumi-aws 6.83.0), its"
                    + " queue " + namePrefix + "-group-NAME (AWS Batch allows " + MAX_QUEUE_NAME + ")"));
        }
        // Every queue, the fair-share one too: the budget stop denies them all and the alert patterns name them all.
        var queueArns = io.genomicsbatch.queues.JobQueues.queueArns(io.genomicsbatch.iam.AwsAccount.longest(), namePrefix,
                settings.queues());
        if (settings.budget().stops()) {
            var characters = EnvironmentBudget.denyPolicy(queueArns).length();
            if (characters > SubmitterPolicy.MAX_MANAGED_POLICY_CHARACTERS) {
                problems.add(tooMany(groups.size(), "the budget stop's policy, which names every queue,", characters,
                        SubmitterPolicy.MAX_MANAGED_POLICY_CHARACTERS, "IAM allows", "per managed policy"));
            }
        }
        if (settings.alerts().enabled()) {
            var head = settings.queues().stream().map(q -> q.name()).toList().indexOf(Lineup.HEAD_JOB_QUEUE);
            var tasks = new ArrayList<>(queueArns);
            var headJob = tasks.remove(head);
            var queues = new AlertRule.Queues(headJob, tasks);
            var characters = java.util.Arrays.stream(AlertRule.values()).mapToInt(r -> r.patternJson(queues).length())
                    .max().orElse(0);
            if (characters > MAX_EVENT_PATTERN_CHARACTERS) {
                problems.add(tooMany(groups.size(), "an alert rule's event pattern, which names every queue,",
                        characters, MAX_EVENT_PATTERN_CHARACTERS, "EventBridge allows", "per pattern by default"));
            }
        }
        return problems;
    }

    private static ConfigProblem tooMany(int groups, String what, int characters, int limit, String who,
                                         String per) {
        return new ConfigProblem(List.of(ConfigKey.GROUPS), ConfigKey.GROUPS.fullKey() + ": got " + groups
                + " groups; " + what + " would need up to " + characters + " characters, and " + who + " " + limit
                + " " + per + ": list fewer groups");
    }
}
