package io.genomicsbatch.alerts;

import com.pulumi.aws.kms.Alias;
import com.pulumi.aws.kms.AliasArgs;
import com.pulumi.aws.kms.Key;
import com.pulumi.aws.kms.KeyArgs;
import com.pulumi.aws.sns.Topic;
import com.pulumi.aws.sns.TopicArgs;
import com.pulumi.aws.sns.TopicPolicy;
import com.pulumi.aws.sns.TopicPolicyArgs;
import com.pulumi.aws.sns.TopicSubscription;
import com.pulumi.aws.sns.TopicSubscriptionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.iam.AwsAccount;
import io.genomicsbatch.iam.PolicyDocuments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert topic for {@code alertEmails}: encrypted with a customer-managed KMS key (the AWS-managed
 * {@code alias/aws/sns} key's policy cannot be changed, so EventBridge and CloudWatch alarms could not
 * publish to a topic it encrypts), with one e-mail subscription per address. Its policy, written once the
 * rules and alarms exist ({@link #policy}), lets only those publish, and AWS Budgets of this account.
 */
public final class AlertTopic {
    private AlertTopic() {
    }

    /** The services that publish alerts, and so encrypt with the key. */
    static final List<String> PUBLISHERS = List.of("events.amazonaws.com", "cloudwatch.amazonaws.com",
            "budgets.amazonaws.com");

    /** What the account's IAM principals may do with the key (administration, no encryption). */
    static final List<String> ADMIN_ACTIONS = List.of("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*",
            "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
            "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand");

    public record Props(String logicalName, String namePrefix, List<String> emails, Output<AwsAccount> account,
                        Map<String, String> tags, boolean protect, Resource parent) {
    }

    /** The topic's AWS name: "&lt;namePrefix&gt;-alerts". */
    public static String topicName(String namePrefix) {
        return namePrefix + "-alerts";
    }

    /**
     * A budget's name must start with this for the topic to take its notifications (the topic policy's
     * {@code aws:SourceArn} for AWS Budgets).
     */
    public static String budgetNamePrefix(String namePrefix) {
        return namePrefix + "-";
    }

    public static Topic create(Props p) {
        var options = CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build();
        var key = new Key(p.logicalName() + "-key", KeyArgs.builder()
                .description("Genomics Batch " + p.namePrefix() + ": encrypts the alert topic")
                .enableKeyRotation(true)
                .deletionWindowInDays(30)
                .policy(p.account().applyValue(AlertTopic::keyPolicy))
                .tags(p.tags())
                .build(), options);
        new Alias(p.logicalName() + "-key-alias", AliasArgs.builder()
                .name("alias/" + topicName(p.namePrefix()))
                .targetKeyId(key.keyId())
                .build(), options);
        var topic = new Topic(p.logicalName(), TopicArgs.builder()
                .name(topicName(p.namePrefix()))
                .displayName("Genomics Batch " + p.namePrefix())
                .kmsMasterKeyId(key.arn())
                .tags(p.tags())
                .build(), options);
        // Not protected: removing an address from alertEmails must be able to unsubscribe it.
        var plain = CustomResourceOptions.builder().parent(p.parent()).build();
        for (var email : p.emails()) {
            new TopicSubscription(subscriptionName(p.logicalName(), email), TopicSubscriptionArgs.builder()
                    .topic(topic.arn())
                    .protocol("email")
                    .endpoint(email)
                    .build(), plain);
        }
        return topic;
    }

    /**
     * A subscription's logical name, from its address (not its position), so that reordering alertEmails
     * replaces nothing: "&lt;topic&gt;-email-" and 8 hex digits of the address's SHA-256, as written (addresses
     * that differ in case only are two subscriptions, not one name twice).
     */
    static String subscriptionName(String topicLogicalName, String email) {
        return topicLogicalName + "-email-" + io.genomicsbatch.ShortDigest.of(email);
    }

    /** The account's IAM principals administer the key; the publishing services may encrypt (and decrypt) with it. */
    static String keyPolicy(AwsAccount a) {
        var admin = new LinkedHashMap<String, Object>();
        admin.put("Sid", "AccountAdministersTheKey");
        admin.put("Effect", "Allow");
        admin.put("Principal", Map.of("AWS", "arn:" + a.partition() + ":iam::" + a.accountId() + ":root"));
        // The actions of AWS's default key-administrator statement, named rather than "kms:*".
        admin.put("Action", ADMIN_ACTIONS);
        admin.put("Resource", "*");
        var publishers = new LinkedHashMap<String, Object>();
        publishers.put("Sid", "AlertPublishersEncrypt");
        publishers.put("Effect", "Allow");
        publishers.put("Principal", Map.of("Service", PUBLISHERS));
        publishers.put("Action", List.of("kms:GenerateDataKey*", "kms:Decrypt"));
        publishers.put("Resource", "*");
        return PolicyDocuments.document(List.of(admin, publishers));
    }

    /**
     * Only this environment's rules and alarms may publish (aws:SourceArn), and budgets of this account named
     * {@link #budgetNamePrefix}; every statement also requires this account (aws:SourceAccount).
     */
    public static void policy(String logicalName, String namePrefix, Output<String> topicArn,
                              Output<AwsAccount> account, Output<List<String>> ruleArns,
                              Output<List<String>> alarmArns, Resource parent) {
        var policy = Output.tuple(topicArn, account, ruleArns, alarmArns)
                .applyValue(t -> policyDocument(t.t1, t.t2, namePrefix, t.t3, t.t4));
        new TopicPolicy(logicalName + "-policy", TopicPolicyArgs.builder()
                .arn(topicArn)
                .policy(policy)
                .build(), CustomResourceOptions.builder().parent(parent).build());
    }

    static String policyDocument(String topicArn, AwsAccount a, String namePrefix, List<String> ruleArns,
                                 List<String> alarmArns) {
        var budgets = "arn:" + a.partition() + ":budgets::" + a.accountId() + ":budget/" + budgetNamePrefix(namePrefix)
                + "*";
        return PolicyDocuments.document(List.of(
                publish("EventBridgeRulesOfThisEnvironment", "events.amazonaws.com", topicArn, a, "ArnEquals",
                        ruleArns),
                publish("CloudWatchAlarmsOfThisEnvironment", "cloudwatch.amazonaws.com", topicArn, a, "ArnEquals",
                        alarmArns),
                publish("BudgetsOfThisEnvironment", "budgets.amazonaws.com", topicArn, a, "ArnLike",
                        List.of(budgets))));
    }

    private static Map<String, Object> publish(String sid, String service, String topicArn, AwsAccount a,
                                               String arnOperator, List<String> sources) {
        var statement = new LinkedHashMap<String, Object>();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("Service", service));
        statement.put("Action", "sns:Publish");
        statement.put("Resource", topicArn);
        var condition = new LinkedHashMap<String, Object>();
        condition.put("StringEquals", Map.of("aws:SourceAccount", a.accountId()));
        condition.put(arnOperator, Map.of("aws:SourceArn", sources));
        statement.put("Condition", condition);
        return statement;
    }

}
