package io.genomicsbatch.budget;

import com.pulumi.aws.budgets.Budget;
import com.pulumi.aws.budgets.BudgetAction;
import com.pulumi.aws.budgets.BudgetActionArgs;
import com.pulumi.aws.budgets.BudgetArgs;
import com.pulumi.aws.budgets.inputs.BudgetActionActionThresholdArgs;
import com.pulumi.aws.budgets.inputs.BudgetActionDefinitionArgs;
import com.pulumi.aws.budgets.inputs.BudgetActionDefinitionIamActionDefinitionArgs;
import com.pulumi.aws.budgets.inputs.BudgetActionSubscriberArgs;
import com.pulumi.aws.budgets.inputs.BudgetCostFilterArgs;
import com.pulumi.aws.budgets.inputs.BudgetNotificationArgs;
import com.pulumi.aws.iam.Policy;
import com.pulumi.aws.iam.PolicyArgs;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.alerts.AlertTopic;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.iam.InlinePolicyBudget;
import io.genomicsbatch.iam.AwsAccount;
import io.genomicsbatch.iam.StackRoles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A monthly AWS Budgets cost budget on this environment's cost-allocation tag, notifying the alert topic,
 * and optionally its stop: a budget action that attaches a policy denying batch:SubmitJob on this
 * environment's queues to the head-job role and the configured roles. Running jobs finish and hosts are
 * left to Batch (which scales them in when the queues drain); nothing new is submitted.
 */
public final class EnvironmentBudget {
    private EnvironmentBudget() {
    }

    /** Budgets reads user-defined cost-allocation tags as "user:KEY$VALUE" (AWS Budgets' TagKeyValue filter). */
    public static final String TAG_FILTER = "TagKeyValue";
    static final List<String> STOP_ACTIONS = List.of("iam:AttachRolePolicy", "iam:DetachRolePolicy");

    /**
     * @param environmentTag the key and value the launch template puts on instances and volumes
     * @param queueArns      this environment's job queues: the stop denies submitting to them
     * @param headJobRoleName the head-job role: denied by the stop with {@code budget.stopRoleNames()}
     * @param topicArn       where notifications go (the alert topic)
     * @param roleRules      the permissions boundary and path of AWS Budgets' role
     */
    public record Props(String logicalName, String namePrefix, Settings.Budget budget,
                        Map.Entry<String, String> environmentTag, Output<List<String>> queueArns,
                        Output<String> headJobRoleName, Output<String> topicArn, Output<AwsAccount> account,
                        Settings.Iam roleRules, Map<String, String> tags, boolean protect, Resource parent) {
    }

    /** The budget's AWS name, within the alert topic's policy's budget prefix. */
    public static String budgetName(String namePrefix) {
        return AlertTopic.budgetNamePrefix(namePrefix) + "monthly";
    }

    /** The deny policy's AWS name. */
    public static String stopPolicyName(String namePrefix) {
        return namePrefix + "-budget-stop";
    }

    /** "user:KEY$VALUE". */
    public static String tagFilterValue(String key, String value) {
        return "user:" + key + "$" + value;
    }

    public static Budget create(Props p) {
        var options = CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build();
        var plain = CustomResourceOptions.builder().parent(p.parent()).build();
        var name = budgetName(p.namePrefix());
        var notifications = new ArrayList<Output<BudgetNotificationArgs>>();
        for (var percent : p.budget().alertPercents()) {
            for (var type : List.of("ACTUAL", "FORECASTED")) {
                notifications.add(p.topicArn().applyValue(topic -> BudgetNotificationArgs.builder()
                        .notificationType(type)
                        .comparisonOperator("GREATER_THAN")
                        .threshold((double) percent)
                        .thresholdType("PERCENTAGE")
                        .subscriberSnsTopicArns(topic)
                        .build()));
            }
        }
        var budget = new Budget(p.logicalName(), BudgetArgs.builder()
                .name(name)
                .budgetType("COST")
                .timeUnit("MONTHLY")
                .limitAmount(String.valueOf(p.budget().monthlyUsd()))
                .limitUnit("USD")
                .costFilters(BudgetCostFilterArgs.builder()
                        .name(TAG_FILTER)
                        .values(tagFilterValue(p.environmentTag().getKey(), p.environmentTag().getValue()))
                        .build())
                .notifications(Output.all(notifications))
                .tags(p.tags())
                .build(), options);
        if (p.budget().stops()) {
            stop(p, name, budget, options, plain);
        }
        return budget;
    }

    private static void stop(Props p, String budgetName, Budget budget, CustomResourceOptions options,
                             CustomResourceOptions plain) {
        var policy = new Policy(p.logicalName() + "-stop-policy", PolicyArgs.builder()
                .name(stopPolicyName(p.namePrefix()))
                .description("Genomics Batch " + p.namePrefix() + ": the budget stop; denies submitting jobs to this "
                        + "environment's queues. Detach it to lift the stop (docs/cost.md).")
                .policy(p.queueArns().applyValue(EnvironmentBudget::denyPolicy))
                .tags(p.tags())
                .build(), options);
        var roles = p.headJobRoleName().applyValue(head -> {
            var names = new ArrayList<String>();
            names.add(head);
            p.budget().stopRoleNames().stream().filter(n -> !n.equals(head)).forEach(names::add);
            return (List<String>) names;
        });
        var executionRole = StackRoles.create(p.logicalName() + "-stop-role", RoleArgs.builder()
                .description("Genomics Batch " + p.namePrefix() + ": AWS Budgets attaches the budget-stop policy")
                .assumeRolePolicy(p.account().applyValue(a -> budgetsTrust(a, budgetName)))
                .tags(p.tags()), p.roleRules(), options);
        new RolePolicy(p.logicalName() + "-stop-role-attach", RolePolicyArgs.builder()
                .role(executionRole.id())
                .policy(Output.tuple(p.account(), policy.arn(), roles)
                        .applyValue(t -> executionPolicy(t.t1, t.t2, t.t3)))
                .build(), plain);
        new BudgetAction(p.logicalName() + "-stop", BudgetActionArgs.builder()
                .budgetName(budget.name())
                .actionType("APPLY_IAM_POLICY")
                .approvalModel("AUTOMATIC")
                .notificationType("ACTUAL")
                .actionThreshold(BudgetActionActionThresholdArgs.builder()
                        .actionThresholdType("PERCENTAGE")
                        .actionThresholdValue((double) p.budget().stopPercent())
                        .build())
                .definition(Output.tuple(policy.arn(), roles).applyValue(t -> BudgetActionDefinitionArgs.builder()
                        .iamActionDefinition(BudgetActionDefinitionIamActionDefinitionArgs.builder()
                                .policyArn(t.t1)
                                .roles(t.t2)
                                .build())
                        .build()))
                .executionRoleArn(executionRole.arn())
                .subscribers(p.topicArn().applyValue(topic -> List.of(BudgetActionSubscriberArgs.builder()
                        .subscriptionType("SNS")
                        .address(topic)
                        .build())))
                .tags(p.tags())
                .build(), options);
    }

    /**
     * AWS Budgets' role holds one inline policy naming every stopped role twice; IAM allows a role
     * {@value io.genomicsbatch.iam.InlinePolicyBudget#MAX_INLINE_POLICY_CHARACTERS} characters of them. Measured
     * as long as AWS could write it (the longest partition and account, a 64-character head-job role name).
     */
    public static Optional<ConfigProblem> check(String namePrefix, Settings.Environment settings) {
        var budget = settings.budget();
        if (!budget.stops()) {
            return Optional.empty();
        }
        var a = AwsAccount.longest();
        var names = new ArrayList<String>();
        names.add("r".repeat(MAX_ROLE_NAME));
        names.addAll(budget.stopRoleNames());
        var policyArn = "arn:" + a.partition() + ":iam::" + a.accountId() + ":policy/" + stopPolicyName(namePrefix);
        var characters = executionPolicy(a, policyArn, names).length();
        if (characters <= InlinePolicyBudget.MAX_INLINE_POLICY_CHARACTERS) {
            return Optional.empty();
        }
        return Optional.of(new ConfigProblem(List.of(ConfigKey.BUDGET_STOP_ROLE_NAMES),
                ConfigKey.BUDGET_STOP_ROLE_NAMES.fullKey() + ": got " + budget.stopRoleNames().size() + " roles; "
                        + "the budget stop's role names each of them in an inline IAM policy of up to " + characters
                        + " characters, and IAM allows " + InlinePolicyBudget.MAX_INLINE_POLICY_CHARACTERS
                        + " per role: name fewer roles (or let them share one that submits)"));
    }

    static final int MAX_ROLE_NAME = 64;

    /** Denies submitting to these queues, and nothing else. */
    public static String denyPolicy(List<String> queueArns) {
        var statement = new LinkedHashMap<String, Object>();
        statement.put("Sid", "BudgetStopNoNewJobs");
        statement.put("Effect", "Deny");
        statement.put("Action", "batch:SubmitJob");
        statement.put("Resource", queueArns);
        return document(List.of(statement));
    }

    /** AWS Budgets, for this budget of this account only (confused-deputy guard). */
    static String budgetsTrust(AwsAccount a, String budgetName) {
        var budget = "arn:" + a.partition() + ":budgets::" + a.accountId() + ":budget/" + budgetName;
        var statement = new LinkedHashMap<String, Object>();
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("Service", "budgets.amazonaws.com"));
        statement.put("Action", "sts:AssumeRole");
        statement.put("Condition", Map.of(
                "StringEquals", Map.of("aws:SourceAccount", a.accountId()),
                "ArnLike", Map.of("aws:SourceArn", List.of(budget, budget + "/action/*"))));
        return document(List.of(statement));
    }

    /**
     * Attach and detach the stop policy only, to these roles only. A role name is unique in an account
     * whatever its path, so each role is named with and without a path.
     */
    static String executionPolicy(AwsAccount a, String policyArn, List<String> roleNames) {
        var resources = new ArrayList<String>();
        for (var role : roleNames) {
            var prefix = "arn:" + a.partition() + ":iam::" + a.accountId() + ":role/";
            resources.add(prefix + role);
            resources.add(prefix + "*/" + role);
        }
        var statement = new LinkedHashMap<String, Object>();
        statement.put("Sid", "AttachTheBudgetStopPolicyOnly");
        statement.put("Effect", "Allow");
        statement.put("Action", STOP_ACTIONS);
        statement.put("Resource", resources);
        statement.put("Condition", Map.of("ArnEquals", Map.of("iam:PolicyARN", policyArn)));
        return document(List.of(statement));
    }

    private static String document(List<Map<String, Object>> statements) {
        var document = new LinkedHashMap<String, Object>();
        document.put("Version", "2012-10-17");
        document.put("Statement", statements);
        return io.genomicsbatch.iam.PolicyDocuments.json(document);
    }
}
