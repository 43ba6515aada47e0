package io.genomicsbatch.alerts;

import com.pulumi.aws.cloudwatch.EventRule;
import com.pulumi.aws.cloudwatch.EventRuleArgs;
import com.pulumi.aws.cloudwatch.EventTarget;
import com.pulumi.aws.cloudwatch.EventTargetArgs;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.ssm.Document;
import com.pulumi.aws.ssm.DocumentArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.iam.AwsAccount;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.iam.PolicyDocuments;
import io.genomicsbatch.iam.StackRoles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A boot loop stops itself: when the provisioning-failure alarm goes to ALARM, an EventBridge rule runs an SSM
 * Automation document that sets every compute environment of this environment to DISABLED (Batch then
 * launches no host for it; running jobs finish). The hosts' metric names the environment, not the compute
 * environment, and all of them boot with the same scripts, so all are disabled. The automation's role may
 * update these compute environments and nothing else; EventBridge's role may start this document only.
 */
public final class BootLoopStop {
    private BootLoopStop() {
    }

    /** What the automation's steps call: Batch's UpdateComputeEnvironment with this state. */
    public static final String DISABLED = "DISABLED";
    static final List<String> AUTOMATION_ACTIONS = List.of("batch:UpdateComputeEnvironment");

    /**
     * @param computeEnvironments the environment's compute environments: spec name -> ARN
     * @param alarmName           the provisioning-failure alarm whose ALARM state starts the automation
     * @param roleRules           the permissions boundary and path of its two roles
     */
    public record Props(String logicalName, String namePrefix, Output<Map<String, String>> computeEnvironments,
                        String alarmName, Output<AwsAccount> account, Settings.Iam roleRules, Map<String, String> tags,
                        boolean protect, Resource parent) {
    }

    /** The document's AWS name: "&lt;namePrefix&gt;-stop-boot-loop". */
    public static String documentName(String namePrefix) {
        return namePrefix + "-stop-boot-loop";
    }

    /** The rule's event pattern: this alarm entering ALARM. */
    public static Map<String, Object> pattern(String alarmName) {
        var pattern = new LinkedHashMap<String, Object>();
        pattern.put("source", List.of("aws.cloudwatch"));
        pattern.put("detail-type", List.of("CloudWatch Alarm State Change"));
        pattern.put("detail", Map.of("alarmName", List.of(alarmName), "state", Map.of("value", List.of("ALARM"))));
        return pattern;
    }

    public static EventRule create(Props p) {
        var options = CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build();
        var plain = CustomResourceOptions.builder().parent(p.parent()).build();
        var docName = documentName(p.namePrefix());

        var automationRole = StackRoles.create(p.logicalName() + "-role", RoleArgs.builder()
                .description("Genomics Batch " + p.namePrefix() + ": the boot-loop automation disables its compute "
                        + "environments")
                .assumeRolePolicy(p.account().applyValue(BootLoopStop::automationTrust))
                .tags(p.tags()), p.roleRules(), options);
        new RolePolicy(p.logicalName() + "-role-batch", RolePolicyArgs.builder()
                .role(automationRole.id())
                .policy(p.computeEnvironments().applyValue(ces -> automationPolicy(List.copyOf(ces.values()))))
                .build(), plain);

        var document = new Document(p.logicalName(), DocumentArgs.builder()
                .name(docName)
                .documentType("Automation")
                .documentFormat("JSON")
                .content(Output.tuple(automationRole.arn(), p.computeEnvironments())
                        .applyValue(t -> documentContent(p.namePrefix(), t.t1, t.t2)))
                .tags(p.tags())
                .build(), options);

        var rule = new EventRule(p.logicalName() + "-rule", EventRuleArgs.builder()
                .description(p.namePrefix() + ": the provisioning-failure alarm fired; disable the compute environments")
                .eventPattern(json(pattern(p.alarmName())))
                .tags(p.tags())
                .build(), options);
        var eventsRole = StackRoles.create(p.logicalName() + "-events-role", RoleArgs.builder()
                .description("Genomics Batch " + p.namePrefix() + ": EventBridge starts the boot-loop automation")
                .assumeRolePolicy(Output.tuple(p.account(), rule.arn()).applyValue(t -> eventsTrust(t.t1, t.t2)))
                .tags(p.tags()), p.roleRules(), options);
        new RolePolicy(p.logicalName() + "-events-role-automation", RolePolicyArgs.builder()
                .role(eventsRole.id())
                .policy(Output.tuple(p.account(), automationRole.arn())
                        .applyValue(t -> eventsPolicy(t.t1, docName, t.t2)))
                .build(), plain);
        new EventTarget(p.logicalName() + "-target", EventTargetArgs.builder()
                .rule(rule.name())
                .arn(Output.tuple(p.account(), document.name())
                        .applyValue(t -> automationDefinitionArn(t.t1, t.t2)))
                .roleArn(eventsRole.arn())
                // The document takes no parameters (its role and compute environments are written into it).
                .input("{}")
                .build(), plain);
        return rule;
    }

    /** What EventBridge starts: arn:PARTITION:ssm:REGION:ACCOUNT:automation-definition/NAME. */
    static String automationDefinitionArn(AwsAccount a, String documentName) {
        return "arn:" + a.partition() + ":ssm:" + a.region() + ":" + a.accountId() + ":automation-definition/"
                + documentName;
    }

    /** One aws:executeAwsApi step per compute environment; a failed step does not stop the others. */
    static String documentContent(String namePrefix, String roleArn, Map<String, String> computeEnvironments) {
        var steps = new ArrayList<Map<String, Object>>();
        var used = new java.util.HashSet<String>();
        computeEnvironments.forEach((name, arn) -> {
            var inputs = new LinkedHashMap<String, Object>();
            inputs.put("Service", "batch");
            inputs.put("Api", "UpdateComputeEnvironment");
            inputs.put("computeEnvironment", arn);
            inputs.put("state", DISABLED);
            var step = new LinkedHashMap<String, Object>();
            // SSM refuses two steps of one name: groups "a-b" and "a_b" both read "AB", so the later one is numbered.
            var stepName = "Disable" + stepName(name);
            for (var n = 2; !used.add(stepName); n++) {
                stepName = "Disable" + stepName(name) + "_" + n;
            }
            step.put("name", stepName);
            step.put("action", "aws:executeAwsApi");
            step.put("onFailure", "Continue");
            step.put("inputs", inputs);
            steps.add(step);
        });
        var doc = new LinkedHashMap<String, Object>();
        doc.put("schemaVersion", "0.3");
        doc.put("description", "Disables the compute environments of " + namePrefix + " after repeated host "
                + "provisioning failures (a boot loop). Find the cause and re-enable them: docs/operations.md.");
        doc.put("assumeRole", roleArn);
        doc.put("mainSteps", steps);
        return json(doc);
    }

    /** "on-demand" -> "OnDemand": step names are letters, digits and '_'. */
    static String stepName(String specName) {
        var out = new StringBuilder();
        for (var part : specName.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    /** SSM Automation of this account only (confused-deputy guard). */
    static String automationTrust(AwsAccount a) {
        return trust("ssm.amazonaws.com", Map.of(
                "StringEquals", Map.of("aws:SourceAccount", a.accountId()),
                "ArnLike", Map.of("aws:SourceArn", "arn:" + a.partition() + ":ssm:*:" + a.accountId()
                        + ":automation-execution/*")));
    }

    static String automationPolicy(List<String> computeEnvironmentArns) {
        return document(List.of(statement("DisableThisEnvironmentsComputeEnvironments", AUTOMATION_ACTIONS,
                computeEnvironmentArns, Map.of())));
    }

    /** EventBridge, for this rule of this account only. */
    static String eventsTrust(AwsAccount a, String ruleArn) {
        return trust("events.amazonaws.com", Map.of(
                "StringEquals", Map.of("aws:SourceAccount", a.accountId()),
                "ArnEquals", Map.of("aws:SourceArn", ruleArn)));
    }

    static String eventsPolicy(AwsAccount a, String documentName, String automationRoleArn) {
        return document(List.of(
                statement("StartTheBootLoopAutomationOnly", List.of("ssm:StartAutomationExecution"),
                        List.of(automationDefinitionArn(a, documentName) + ":*"), Map.of()),
                statement("PassItsRoleToSsmOnly", List.of("iam:PassRole"),
                        List.of(PolicyDocuments.literal(automationRoleArn)),
                        Map.of("StringEquals", Map.of("iam:PassedToService", "ssm.amazonaws.com")))));
    }

    private static String trust(String service, Map<String, Object> condition) {
        var statement = new LinkedHashMap<String, Object>();
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("Service", service));
        statement.put("Action", "sts:AssumeRole");
        statement.put("Condition", condition);
        return document(List.of(statement));
    }

    private static Map<String, Object> statement(String sid, List<String> actions, List<String> resources,
                                                 Map<String, Object> condition) {
        var statement = new LinkedHashMap<String, Object>();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Action", actions);
        statement.put("Resource", resources);
        if (!condition.isEmpty()) {
            statement.put("Condition", condition);
        }
        return statement;
    }

    private static String document(List<Map<String, Object>> statements) {
        return PolicyDocuments.document(statements);
    }

    static String json(Object value) {
        return io.genomicsbatch.iam.PolicyDocuments.json(value);
    }
}
