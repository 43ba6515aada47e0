package io.genomicsbatch.iam;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes what the real program registers for IAM, per stack, to {@code target/iam/<stack>.json}:
 * every role with its trust policy, inline policies (on the role, or as {@code aws:iam/rolePolicy}),
 * customer-managed policies attached to it and AWS-managed policy ARNs; every customer-managed policy,
 * attached or not (the submitter policy); the queues' ARNs; the stack outputs; the buckets, keys and work
 * directory the config names. {@code .ci/iam/check.mjs} evaluates those
 * documents with an offline IAM simulator. ARNs are the mock engine's ({@link AwsAnswers#arn}).
 */
class IamExportTest {

    static final Path OUT = Path.of("target", "iam");
    static final String ROLE = "aws:iam/role:Role";
    static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    static final String ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    static final String POLICY = "aws:iam/policy:Policy";
    static final String QUEUE = "aws:batch/jobQueue:JobQueue";
    static final String CE = "aws:batch/computeEnvironment:ComputeEnvironment";

    /** An export: which shipped stack file it starts from, and the values it changes. */
    record Variant(String name, String stackFile, Map<String, String> overrides) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("dev", "dev", Map.of()),
            new Variant("prod", "prod", Map.of()),
            // Data buckets in dev, one reference bucket, a KMS key, and the Spot fleet role (BEST_FIT).
            new Variant("dev-variant", "dev", Map.of("dataBucketNames", "[\"acme-dev-work\"]",
                    "referenceBucketNames", "[\"ngi-igenomes\"]", "spotAllocationStrategy", "BEST_FIT",
                    "dataKmsKeyArns", "[\"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]",
                    "workDirectory", "s3://acme-dev-work/runs")),
            // The boot-loop stop without alerts, with the GPU environment (three compute environments).
            new Variant("dev-boot-loop", "dev", Map.of("bootLoopStop", "true", "gpuMaxVcpus", "8")),
            // The budget stop for the head-job role and two roles of the lab's own (prod stops the head-job role only).
            new Variant("dev-budget-stop", "dev", Map.of("alertEmails", "[\"lab@example.org\"]",
                    "monthlyBudgetUsd", "300", "budgetStopPercent", "110",
                    "budgetStopRoleNames", "[\"ci-submitter\",\"tower-launch\"]")),
            // The raw reads first (as prod lists them), work in a legacy-named bucket under a prefix with '*'
            // (a character, not a wildcard), and the GPU queue.
            new Variant("dev-work", "dev", Map.of("dataBucketNames", "[\"acme-raw-reads\",\"Legacy_Work\"]",
                    "workDirectory", "s3://Legacy_Work/team*a/runs", "gpuMaxVcpus", "8")),
            // The registry cache of every upstream (the fixture stack Pulumi.cache.yaml).
            new Variant("cache", "cache", Map.of()),
            // Three groups (a queue each: the head-job role and the submitter policy may submit to them, the
            // budget stop denies them) and the GPU queue.
            new Variant("dev-groups", "dev", Map.of("groups", "[{\"name\":\"cancer-genomics\",\"maxVcpus\":512},"
                    + "{\"name\":\"rare_disease\",\"maxVcpus\":128,\"spot\":false},{\"name\":\"Microbiome\","
                    + "\"maxVcpus\":64}]", "alertEmails", "[\"lab@example.org\"]", "monthlyBudgetUsd", "300",
                    "budgetStopPercent", "110", "gpuMaxVcpus", "8")),
            // An account with rules: the boundary and path on the roles created; the roles it brings modelled
            // as the account team makes them from `genomics-batch policies` (the broughtRolePolicies output).
            new Variant("restricted", "restricted", Map.of()),
            // The same with every role created, each with the boundary and the path.
            new Variant("restricted-created", "restricted", RestrictedAccountTest.CREATED),
            // Fair share: two labs and a prefix share, each with its submitter policy, beside the shared queue.
            new Variant("shared-labs", "shared-labs", Map.of()));

    @Test
    @SuppressWarnings("unchecked")
    void writesTheIamOfEveryStackForTheSimulator() throws IOException {
        Files.createDirectories(OUT);
        var gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        for (var variant : VARIANTS) {
            var source = TestStacks.stackFileWith(variant.stackFile(), variant.overrides());
            var answers = TestStacks.answersFor(variant.stackFile());
            var recording = succeeded(TestStacks.run(variant.stackFile(), source, answers));
            var export = export(variant.name(), recording, source, answers);
            assertThat(((Map<String, ?>) export.get("roles")).keySet()).as(variant.name())
                    .contains("genomics-batch-job-role", "genomics-batch-instance-role");
            assertThat(((Map<String, ?>) export.get("policies")).keySet()).as(variant.name())
                    .contains("genomics-batch-submitter-policy");
            Files.writeString(OUT.resolve(variant.name() + ".json"), gson.toJson(export) + "\n",
                    StandardCharsets.UTF_8);
        }
    }

    static Map<String, Object> export(String stack, Recorder.Recording r, ConfigSource source, AwsAnswers answers) {
        var settings = ConfigReader.read(source).orThrow();
        var data = settings.data();
        var roles = new TreeMap<String, Map<String, Object>>();
        var roleByRef = new LinkedHashMap<String, String>();
        for (var role : TestStacks.ofType(r, ROLE)) {
            var entry = new LinkedHashMap<String, Object>();
            var path = role.inputs().get("path") instanceof String p ? p : "/";
            entry.put("arn", answers.arnOf(ROLE, role.name(), role.inputs()));
            entry.put("path", path);
            entry.put("permissionsBoundaryArn", role.inputs().get("permissionsBoundary"));
            entry.put("trustPolicy", document(role.inputs().get("assumeRolePolicy")));
            entry.put("inlinePolicies", new ArrayList<Map<String, Object>>());
            entry.put("customerManagedPolicies", new ArrayList<Map<String, Object>>());
            entry.put("managedPolicyArns", new ArrayList<String>());
            if (role.inputs().get("inlinePolicies") instanceof List<?> inline) {
                for (var p : inline) {
                    var m = (Map<?, ?>) p;
                    list(entry, "inlinePolicies").add(Map.of("name", String.valueOf(m.get("name")),
                            "policy", document(m.get("policy"))));
                }
            }
            if (role.inputs().get("managedPolicyArns") instanceof List<?> arns) {
                arns.forEach(a -> list(entry, "managedPolicyArns").add(String.valueOf(a)));
            }
            roles.put(role.name(), entry);
            // Other resources refer to a role by its id or its name; the mock engine derives both from the logical name.
            roleByRef.put(AwsAnswers.id(role.name()), role.name());
            roleByRef.put(Objects.toString(role.inputs().get("name"), role.name() + "-generated"), role.name());
        }
        brought(r, roles);
        var customerPolicies = new LinkedHashMap<String, PlannedResource>();
        TestStacks.ofType(r, POLICY).forEach(p -> customerPolicies.put(AwsAnswers.arn(POLICY, p.name()), p));
        // Every customer-managed policy by logical name, attached or not (the submitter policy is for others).
        var policies = new TreeMap<String, Object>();
        customerPolicies.forEach((arn, p) -> policies.put(p.name(), Map.of("arn", arn,
                "policy", document(p.inputs().get("policy")))));
        for (var policy : TestStacks.ofType(r, ROLE_POLICY)) {
            list(roles.get(owner(roleByRef, policy)), "inlinePolicies").add(Map.of("name", policy.name(),
                    "policy", document(policy.inputs().get("policy"))));
        }
        for (var attachment : TestStacks.ofType(r, ATTACHMENT)) {
            var role = roles.get(owner(roleByRef, attachment));
            var arn = String.valueOf(attachment.inputs().get("policyArn"));
            var customer = customerPolicies.get(arn);
            if (customer != null) {
                list(role, "customerManagedPolicies").add(Map.of("name", customer.name(), "arn", arn,
                        "policy", document(customer.inputs().get("policy"))));
            } else {
                list(role, "managedPolicyArns").add(arn);
            }
        }
        var queues = new TreeMap<String, Object>();
        for (var queue : TestStacks.ofType(r, QUEUE)) {
            queues.put(queue.name(), Map.of("arn", answers.arnOf(QUEUE, queue.name(), queue.inputs()),
                    "name", String.valueOf(queue.inputs().get("name"))));
        }
        var computeEnvironments = new TreeMap<String, Object>();
        for (var ce : TestStacks.ofType(r, CE)) {
            computeEnvironments.put(ce.name(), AwsAnswers.arn(CE, ce.name()));
        }
        // The boot-loop stop (bootLoopStop): its automation document and the rule that starts it.
        var bootLoop = new LinkedHashMap<String, String>();
        TestStacks.ofType(r, "aws:ssm/document:Document").forEach(d -> bootLoop.put("documentName",
                String.valueOf(d.inputs().get("name"))));
        TestStacks.ofType(r, "aws:cloudwatch/eventRule:EventRule").stream()
                .filter(rule -> rule.name().endsWith("-boot-loop-stop-rule"))
                .forEach(rule -> bootLoop.put("ruleArn", AwsAnswers.arn(rule.type(), rule.name())));
        // The budget stop (budgetStopPercent): its deny policy, the role AWS Budgets uses, the roles it stops.
        var budgetStop = new LinkedHashMap<String, Object>();
        TestStacks.ofType(r, "aws:budgets/budgetAction:BudgetAction").forEach(action -> {
            var policyArn = String.valueOf(TestStacks.input(action, "definition", "iamActionDefinition", "policyArn"));
            budgetStop.put("policy", customerPolicies.get(policyArn).name());
            budgetStop.put("policyArn", policyArn);
            budgetStop.put("executionRole", roles.entrySet().stream()
                    .filter(e -> e.getValue().get("arn").equals(action.inputs().get("executionRoleArn")))
                    .map(Map.Entry::getKey).findFirst().orElseThrow());
            budgetStop.put("roleNames", TestStacks.input(action, "definition", "iamActionDefinition", "roles"));
            budgetStop.put("headJobRoleName", roleByRef.entrySet().stream()
                    .filter(e -> e.getValue().equals("genomics-batch-head-job-role") && e.getKey().endsWith("-generated"))
                    .map(Map.Entry::getKey).findFirst()
                    .orElseGet(() -> StackRoles.nameOf(String.valueOf(r.outputs().get("headJobRoleArn")))));
            budgetStop.put("budgetName", action.inputs().get("budgetName"));
        });
        var export = new LinkedHashMap<String, Object>();
        export.put("stack", stack);
        export.put("account", AwsAnswers.ACCOUNT);
        export.put("partition", "aws");
        export.put("region", AwsAnswers.REGION);
        export.put("dataBucketNames", data.dataBucketNames());
        export.put("referenceBucketNames", data.referenceBucketNames());
        export.put("kmsKeyArns", data.kmsKeyArns());
        var work = new LinkedHashMap<String, String>();
        data.workDirectory().ifPresent(w -> {
            work.put("bucket", w.bucket());
            work.put("prefix", w.prefix());
        });
        export.put("workDirectory", work.isEmpty() ? null : work);
        // The configured boundary: every role the stack created must carry it.
        export.put("permissionsBoundaryArn", settings.iam().permissionsBoundaryArn().orElse(null));
        export.put("roles", roles);
        export.put("policies", policies);
        export.put("queues", queues);
        export.put("computeEnvironments", computeEnvironments);
        export.put("bootLoop", bootLoop.isEmpty() ? null : bootLoop);
        export.put("budgetStop", budgetStop.isEmpty() ? null : budgetStop);
        // The registry cache (ecrPullThroughCache): each rule's repository prefix.
        export.put("registryCachePrefixes", TestStacks.ofType(r, "aws:ecr/pullThroughCacheRule:PullThroughCacheRule")
                .stream().map(rule -> String.valueOf(rule.inputs().get("ecrRepositoryPrefix"))).toList());
        export.put("outputs", r.outputs());
        // The tags the launch template puts on volumes: those storage growth copies onto the volumes it creates.
        var template = TestStacks.resource(r, "genomics-batch-host-launch-template");
        export.put("volumeTags", ((List<?>) template.inputs().get("tagSpecifications")).stream()
                .map(spec -> (Map<?, ?>) spec).filter(spec -> "volume".equals(spec.get("resourceType")))
                .map(spec -> spec.get("tags")).findFirst().orElseThrow());
        return export;
    }

    /** The stack's logical name of the role each brought role stands in for. */
    static final Map<String, String> BROUGHT = Map.of("instanceRole", "genomics-batch-instance-role",
            "jobRole", "genomics-batch-job-role", "headJobRole", "genomics-batch-head-job-role");

    /**
     * Each brought role as the account team makes it from the export: its ARN, with exactly the trust,
     * inline and AWS-managed policies the stack would have given it (and no boundary of ours).
     */
    @SuppressWarnings("unchecked")
    private static void brought(Recorder.Recording r, Map<String, Map<String, Object>> roles) {
        if (!(r.outputs().get(BroughtRole.OUTPUT) instanceof Map<?, ?> brought)) {
            return;
        }
        brought.forEach((key, value) -> {
            var role = (Map<String, Object>) value;
            var entry = new LinkedHashMap<String, Object>();
            entry.put("arn", role.get("arn"));
            entry.put("brought", true);
            entry.put("permissionsBoundaryArn", null);
            entry.put("trustPolicy", document(role.get("trustPolicy")));
            var inline = new ArrayList<Map<String, Object>>();
            ((Map<String, Object>) role.get("inlinePolicies")).forEach((name, policy) -> inline.add(Map.of("name", name,
                    "policy", document(policy))));
            entry.put("inlinePolicies", inline);
            entry.put("customerManagedPolicies", new ArrayList<Map<String, Object>>());
            entry.put("managedPolicyArns", new ArrayList<>((List<String>) role.get("managedPolicyArns")));
            assertThat(roles).as("brought " + key + " is also created").doesNotContainKey(BROUGHT.get(key));
            roles.put(BROUGHT.get(key), entry);
        });
    }

    private static String owner(Map<String, String> roleByRef, PlannedResource resource) {
        var ref = String.valueOf(resource.inputs().get("role"));
        var role = roleByRef.get(ref);
        assertThat(role).as(resource.name() + " refers to role \"" + ref + "\", which the program did not register")
                .isNotNull();
        return role;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Map<String, Object> role, String key) {
        return (List<T>) role.get(key);
    }

    /** A policy input as parsed JSON (Pulumi passes documents as strings; anything else is kept as is). */
    private static Object document(Object input) {
        return input instanceof String json ? JsonParser.parseString(json) : input;
    }
}
