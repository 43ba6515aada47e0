package io.genomicsbatch.iam;

import com.pulumi.aws.iam.Policy;
import com.pulumi.aws.iam.PolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.logs.JobLogGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A customer-managed policy for whoever runs workflows on this environment (a person, or a CI role):
 * attached to them, it lets a workflow engine run from their machine. It grants what
 * {@link HeadJobRole} grants a head job, scoped alike (this environment's queues, job definitions named
 * with {@link HeadJobRole#jobDefinitionPrefixes}, its log group), plus passing the job and head-job
 * roles (to the job definitions it registers, and to a head job) and the work directory: its bucket's
 * location, listings under its prefix, and objects under its prefix, through the data buckets' KMS keys
 * when those are set; no other S3 directly (without a work directory, none). Not a data boundary:
 * whoever holds it can register a job definition that runs any container as the job role, and so
 * reach what jobs reach (every data bucket, and the instance role through the host's network).
 */
public final class SubmitterPolicy {
    private SubmitterPolicy() {
    }

    /** IAM's limit on a managed policy document (whitespace is not counted; these documents have none). */
    public static final int MAX_MANAGED_POLICY_CHARACTERS = 6_144;

    private static final AwsAccount LONGEST = AwsAccount.longest();

    /**
     * @param name          logical name of the policy (AWS generates its name from it)
     * @param queueArns     the environment's job queues, every one of them
     * @param passableRoles the job role and the head-job role, the only roles it may pass
     * @param fairShare     whether the environment has a fair-share queue ({@link HeadJobRole#workflowStatements})
     */
    public record Props(String name, String namePrefix, Settings.DataAccess data, Output<AwsAccount> account,
                        Output<List<String>> queueArns, Output<List<String>> passableRoles, String logGroupName,
                        boolean protect, Map<String, String> tags, Resource parent, boolean fairShare) {
    }

    public static Policy create(Props p) {
        var document = Output.tuple(p.account(), p.queueArns(), p.passableRoles())
                .applyValue(t -> document(t.t1, p.namePrefix(), t.t2, t.t3, p.logGroupName(), p.data(),
                        p.fairShare()));
        return new Policy(p.name(), PolicyArgs.builder()
                // The description cannot change in place: only what stays fixed for a stack goes in it.
                .description("Run workflows on the genomics-batch environment " + p.namePrefix()
                        + ": submit to its queues, follow its jobs and logs, use its work directory when one is set")
                .policy(document)
                .tags(p.tags())
                .build(), CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build());
    }

    static String document(AwsAccount a, String namePrefix, List<String> queueArns, List<String> passableRoles,
                           String logGroupName, Settings.DataAccess data, boolean fairShare) {
        var statements = new ArrayList<Map<String, Object>>(HeadJobRole.workflowStatements(a, namePrefix, queueArns,
                logGroupName, PolicyDocuments.allow("PassTheJobRolesOnly", List.of("iam:PassRole"),
                passableRoles.stream().map(PolicyDocuments::literal).toList()), fairShare));
        data.workDirectory().ifPresent(w -> statements.addAll(workDirectory(a.partition(), w, data.kmsKeyArns())));
        return PolicyDocuments.document(statements);
    }

    private static List<Map<String, Object>> workDirectory(String partition, Settings.WorkDirectory w,
                                                           List<String> kmsKeyArns) {
        var bucket = "arn:" + partition + ":s3:::" + w.bucket();
        var prefix = literal(w.prefix());
        var statements = new ArrayList<Map<String, Object>>(List.of(
                PolicyDocuments.allow("LocateTheWorkBucket", List.of("s3:GetBucketLocation"), List.of(bucket)),
                conditional(PolicyDocuments.allow("ListTheWorkDirectoryOnly", List.of("s3:ListBucket"),
                        List.of(bucket)), Map.of("StringLike", Map.of("s3:prefix", List.of(prefix + "/",
                        prefix + "/*")))),
                PolicyDocuments.allow("ReadWriteTheWorkDirectory", DataAccessPolicies.OBJECT_ACTIONS,
                        List.of(bucket + "/" + prefix + "/*"))));
        if (!kmsKeyArns.isEmpty()) {
            // SSE-KMS data buckets: the keys through S3 only ("s3.REGION.amazonaws.com" and the like).
            statements.add(conditional(PolicyDocuments.allow("UseDataKeysThroughS3Only",
                    DataAccessPolicies.KMS_ACTIONS, kmsKeyArns), Map.of("StringLike", Map.of("kms:ViaService",
                    "s3.*"))));
        }
        return statements;
    }

    /**
     * A key prefix as literal text in a Resource or a StringLike condition: IAM reads '*' as a wildcard,
     * and "${*}" as a '*' (the other special characters, '?' and '$', cannot be in a work directory).
     */
    static String literal(String prefix) {
        return PolicyDocuments.literal(prefix);
    }

    private static Map<String, Object> conditional(Map<String, Object> statement, Map<String, Object> condition) {
        statement.put("Condition", new LinkedHashMap<>(condition));
        return statement;
    }

    /** Characters of the policy, as long as AWS could write it: the longest partition, region and role names. */
    static int characters(String namePrefix, Settings.Environment settings) {
        var rules = settings.iam();
        return document(LONGEST, namePrefix, InlinePolicyBudget.longestQueueArns(namePrefix, settings),
                List.of(LONGEST.longestRoleArn(rules, rules.jobRoleArn()),
                        LONGEST.longestRoleArn(rules, rules.headJobRoleArn())),
                JobLogGroup.groupName(namePrefix), settings.data(),
                settings.fairShare().enabled()).length();
    }

    /** A problem naming the work directory and the keys when the policy would not fit in a managed policy. */
    public static Optional<ConfigProblem> check(String namePrefix, Settings.Environment settings) {
        var characters = characters(namePrefix, settings);
        if (characters <= MAX_MANAGED_POLICY_CHARACTERS) {
            return Optional.empty();
        }
        var data = settings.data();
        var workDirectory = data.workDirectory().map(Settings.WorkDirectory::uri).orElse("");
        var groups = settings.groups().list().size();
        var keys = new ArrayList<>(List.of(ConfigKey.WORK_DIRECTORY, ConfigKey.DATA_KMS_KEY_ARNS));
        if (groups > 0) {
            keys.add(ConfigKey.GROUPS);
        }
        return Optional.of(new ConfigProblem(keys,
                String.join(", ", keys.stream().map(ConfigKey::fullKey).toList()) + ": got "
                        + ConfigProblem.render(workDirectory) + " (a prefix of " + data.workDirectory().map(w -> w.prefix().length())
                        .orElse(0) + " characters) and " + data.kmsKeyArns().size() + " keys"
                        + InlinePolicyBudget.groupsPart(groups) + ", which need up to "
                        + characters + " characters in the submitter policy; IAM allows "
                        + MAX_MANAGED_POLICY_CHARACTERS + " per managed policy: use a shorter prefix or fewer keys"
                        + (groups > 0 ? " or groups" : "")));
    }
}
