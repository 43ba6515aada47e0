package io.genomicsbatch.iam;

import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.Lineup;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.logs.JobLogGroup;
import io.genomicsbatch.queues.JobQueues;

import java.util.List;
import java.util.Optional;

/**
 * IAM allows a role {@value #MAX_INLINE_POLICY_CHARACTERS} characters of inline policies in all.
 * The head-job role carries the most (its Batch policy and the job role's data access), so its
 * policies are measured before anything is registered, as long as AWS could write them: the
 * longest partition and region names, and the longest role name.
 */
public final class InlinePolicyBudget {
    private InlinePolicyBudget() {
    }

    public static final int MAX_INLINE_POLICY_CHARACTERS = 10_240;

    private static final AwsAccount LONGEST = AwsAccount.longest();

    /** The environment's queue ARNs in {@link AwsAccount#longest()}: those every submitter may use. */
    public static List<String> longestQueueArns(String namePrefix, Settings.Environment settings) {
        return JobQueues.queueArns(LONGEST, namePrefix, settings.queues().stream()
                .filter(Lineup::openToEverySubmitter).toList());
    }

    /** A queue's ARN in {@link AwsAccount#longest()}. */
    static String longestQueueArn(String namePrefix, Settings.QueueSpec queue) {
        return JobQueues.queueArns(LONGEST, namePrefix, List.of(queue)).get(0);
    }

    /** Characters of the head-job role's inline policies (IAM does not count whitespace; these have none). */
    static int headJobRoleCharacters(String namePrefix, Settings.Environment settings) {
        var total = HeadJobRole.batchPolicy(LONGEST, namePrefix, longestQueueArns(namePrefix, settings),
                LONGEST.longestRoleArn(settings.iam(), settings.iam().jobRoleArn()), JobLogGroup.groupName(namePrefix),
                settings.fairShare().enabled()).length();
        for (var policy : DataAccessPolicies.policies(LONGEST.partition(), settings.data()).values()) {
            total += policy.length();
        }
        return total;
    }

    /** A problem naming the bucket and key lists when the head-job role's policies would not fit. */
    public static Optional<ConfigProblem> check(String namePrefix, Settings.Environment settings) {
        var characters = headJobRoleCharacters(namePrefix, settings);
        if (characters <= MAX_INLINE_POLICY_CHARACTERS) {
            return Optional.empty();
        }
        var data = settings.data();
        var groups = settings.groups().list().size();
        var keys = new java.util.ArrayList<>(List.of(ConfigKey.DATA_BUCKET_NAMES, ConfigKey.REFERENCE_BUCKET_NAMES,
                ConfigKey.DATA_KMS_KEY_ARNS));
        if (groups > 0) {
            // Each group's queue is named in the head job's submit statement.
            keys.add(ConfigKey.GROUPS);
        }
        return Optional.of(new ConfigProblem(keys, String.join(", ", keys.stream().map(ConfigKey::fullKey).toList())
                + ": " + data.dataBucketNames().size() + " data buckets, " + data.referenceBucketNames().size()
                + " reference buckets and " + data.kmsKeyArns().size() + " keys" + groupsPart(groups) + " need up to "
                + characters + " characters of inline IAM policy on the head-job role; IAM allows "
                + MAX_INLINE_POLICY_CHARACTERS + " per role: list fewer buckets or keys" + (groups > 0 ? " or groups"
                : "")));
    }

    /** ", and N groups' queues" in a size message, when there are groups. */
    public static String groupsPart(int groups) {
        return groups == 0 ? "" : (" (with the queues of " + groups + " groups)");
    }
}
