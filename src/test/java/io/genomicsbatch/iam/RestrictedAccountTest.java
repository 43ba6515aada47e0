package io.genomicsbatch.iam;

import com.google.gson.JsonParser;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * IAM in an account with rules (the fixture stack "restricted"): the permissions boundary and path on every
 * role the stack creates, and the roles it brings used instead of created, with what they need exported.
 */
class RestrictedAccountTest {

    static final String BOUNDARY = "arn:aws:iam::123456789012:policy/boundaries/genomics-boundary";
    static final String PATH = "/genomics/";
    static final String PROFILE = "arn:aws:iam::123456789012:instance-profile/genomics/acme-batch-hosts";
    static final String JOB_ROLE = "arn:aws:iam::123456789012:role/genomics/acme-batch-jobs";
    static final String HEAD_JOB_ROLE = "arn:aws:iam::123456789012:role/genomics/acme-batch-head-jobs";
    /** The fixture with every role created: its brought ARNs unset. */
    static final Map<String, String> CREATED = Map.of("instanceProfileArn", "", "jobRoleArn", "", "headJobRoleArn", "");

    static final String ROLE = "aws:iam/role:Role";
    static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    static final String ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    static final String PROFILE_TYPE = "aws:iam/instanceProfile:InstanceProfile";

    static Recorder.Recording restricted(Map<String, String> overrides, AwsAnswers answers) {
        return succeeded(TestStacks.run("restricted", TestStacks.stackFileWith("restricted", overrides), answers));
    }

    static Recorder.Recording restricted(Map<String, String> overrides) {
        return restricted(overrides, new AwsAnswers());
    }

    @Test
    void everyRoleTheStackCreatesCarriesTheBoundaryAndThePath() {
        var created = restricted(CREATED);
        assertThat(ofType(created, ROLE)).extracting(PlannedResource::name).containsExactlyInAnyOrder(
                "genomics-batch-instance-role", "genomics-batch-job-role", "genomics-batch-spot-fleet-role",
                "genomics-batch-head-job-role", "genomics-batch-boot-loop-stop-role",
                "genomics-batch-boot-loop-stop-events-role", "genomics-batch-budget-stop-role");
        assertThat(ofType(created, ROLE)).allSatisfy(role -> assertThat(role.inputs())
                .as(role.name()).containsEntry("path", PATH).containsEntry("permissionsBoundary", BOUNDARY));
        assertThat(ofType(created, PROFILE_TYPE)).singleElement()
                .satisfies(p -> assertThat(p.inputs()).containsEntry("path", PATH));
        // The roles' ARNs carry the path, and so do the policies that name them.
        assertThat(created.outputs().get("jobRoleArn")).isEqualTo(
                "arn:aws:iam::123456789012:role/genomics/genomics-batch-job-role");

        // With the roles brought, those still created carry them too.
        var brought = restricted(Map.of());
        assertThat(ofType(brought, ROLE)).extracting(PlannedResource::name).containsExactlyInAnyOrder(
                "genomics-batch-spot-fleet-role", "genomics-batch-boot-loop-stop-role",
                "genomics-batch-boot-loop-stop-events-role", "genomics-batch-budget-stop-role");
        assertThat(ofType(brought, ROLE)).allSatisfy(role -> assertThat(role.inputs())
                .as(role.name()).containsEntry("path", PATH).containsEntry("permissionsBoundary", BOUNDARY));
    }

    @Test
    void withoutTheRulesNoRoleHasABoundaryOrAPath() {
        for (var stack : List.of("dev", "prod")) {
            var r = succeeded(TestStacks.runStackFile(stack, TestStacks.answersFor(stack)));
            assertThat(ofType(r, ROLE)).isNotEmpty().allSatisfy(role -> assertThat(role.inputs()).as(role.name())
                    .doesNotContainKeys("path", "permissionsBoundary"));
            assertThat(ofType(r, PROFILE_TYPE)).singleElement()
                    .satisfies(p -> assertThat(p.inputs()).doesNotContainKey("path"));
            assertThat(r.outputs()).doesNotContainKey(BroughtRole.OUTPUT);
        }
        // "/" is IAM's default path: set explicitly, it is not passed (no diff for existing roles).
        var slash = succeeded(TestStacks.run("dev", Map.of("iamRolePath", "/")));
        assertThat(ofType(slash, ROLE)).allSatisfy(role -> assertThat(role.inputs()).doesNotContainKey("path"));
    }

    @Test
    void broughtRolesAreUsedAndNotCreated() {
        var answers = new AwsAnswers();
        var r = restricted(Map.of(), answers);
        assertThat(r.resources()).extracting(PlannedResource::name).noneMatch(n -> n.startsWith("genomics-batch-job-role")
                || n.startsWith("genomics-batch-head-job-role") || n.startsWith("genomics-batch-instance-"));
        assertThat(ofType(r, PROFILE_TYPE)).isEmpty();
        // Only the Spot fleet role's managed policy is attached; the inline policies are the stack's own roles'.
        assertThat(ofType(r, ATTACHMENT)).extracting(PlannedResource::name)
                .containsExactly("genomics-batch-spot-fleet-role-AmazonEC2SpotFleetTaggingRole");
        assertThat(ofType(r, ROLE_POLICY)).extracting(PlannedResource::name).containsExactlyInAnyOrder(
                "genomics-batch-boot-loop-stop-role-batch", "genomics-batch-boot-loop-stop-events-role-automation",
                "genomics-batch-budget-stop-role-attach");
        for (var ce : ofType(r, "aws:batch/computeEnvironment:ComputeEnvironment")) {
            assertThat(TestStacks.input(ce, "computeResources", "instanceRole")).as(ce.name()).isEqualTo(PROFILE);
        }
        assertThat(answers.invokes()).contains("aws:iam/getInstanceProfile:getInstanceProfile");
        assertThat(r.outputs()).containsEntry("jobRoleArn", JOB_ROLE).containsEntry("headJobRoleArn", HEAD_JOB_ROLE)
                .containsEntry("instanceProfileArn", PROFILE)
                .containsEntry("instanceRoleArn", AwsAnswers.instanceProfileRoleArn("acme-batch-hosts"));
        assertThat((String) r.outputs().get("nextflowConfig")).contains("jobRole = '" + JOB_ROLE + "'");
        assertThat((String) r.outputs().get("cromwellBackendConfig")).contains(JOB_ROLE);
        // Who may pass them, and whom the budget stop stops: the brought roles.
        var submitter = JsonParser.parseString((String) TestStacks.resource(r, "genomics-batch-submitter-policy")
                .inputs().get("policy")).getAsJsonObject();
        var pass = statement(submitter, "PassTheJobRolesOnly");
        assertThat(pass.get("Resource").toString()).isEqualTo("[\"" + JOB_ROLE + "\",\"" + HEAD_JOB_ROLE + "\"]");
        var action = ofType(r, "aws:budgets/budgetAction:BudgetAction").get(0);
        assertThat(TestStacks.input(action, "definition", "iamActionDefinition", "roles"))
                .isEqualTo(List.of("acme-batch-head-jobs"));
    }

    @Test
    void theExportedPoliciesAreWhatTheStackGivesTheRolesItCreates() {
        var brought = exported(restricted(Map.of()));
        assertThat(brought.keySet()).containsExactly("instanceRole", "jobRole", "headJobRole");
        var created = restricted(CREATED);

        var instance = brought.get("instanceRole");
        assertThat(instance.get("arn")).isEqualTo(AwsAnswers.instanceProfileRoleArn("acme-batch-hosts"));
        assertThat(instance.get("trustPolicy"))
                .isEqualTo(TestStacks.resource(created, "genomics-batch-instance-role").inputs().get("assumeRolePolicy"));
        assertThat(instance.get("managedPolicyArns")).isEqualTo(ofType(created, ATTACHMENT).stream()
                .filter(a -> a.name().startsWith("genomics-batch-instance-role-"))
                .map(a -> a.inputs().get("policyArn")).toList());
        assertThat(instance.get("inlinePolicies")).isEqualTo(Map.of("storage-growth", TestStacks.resource(created,
                "genomics-batch-instance-role-storage-growth").inputs().get("policy")));

        var job = brought.get("jobRole");
        assertThat(job.get("arn")).isEqualTo(JOB_ROLE);
        assertThat(job.get("trustPolicy"))
                .isEqualTo(TestStacks.resource(created, "genomics-batch-job-role").inputs().get("assumeRolePolicy"));
        assertThat(job.get("managedPolicyArns")).isEqualTo(List.of());
        assertThat(job.get("inlinePolicies")).isEqualTo(inlineOf(created, "genomics-batch-job-role-"));

        var head = brought.get("headJobRole");
        assertThat(head.get("arn")).isEqualTo(HEAD_JOB_ROLE);
        assertThat(head.get("trustPolicy")).isEqualTo(
                TestStacks.resource(created, "genomics-batch-head-job-role").inputs().get("assumeRolePolicy"));
        @SuppressWarnings("unchecked")
        var inline = (Map<String, Object>) head.get("inlinePolicies");
        var createdInline = inlineOf(created, "genomics-batch-head-job-role-");
        assertThat(inline.keySet()).containsExactlyElementsOf(createdInline.keySet());
        createdInline.forEach((name, policy) -> {
            if (!name.equals("batch")) {
                assertThat(inline.get(name)).as(name).isEqualTo(policy);
            }
        });
        // The Batch policy names the queues by the ARNs AWS gives them (they exist only after deployment),
        // and passes the brought job role.
        var batch = JsonParser.parseString((String) inline.get("batch")).getAsJsonObject();
        var queues = "arn:aws:batch:us-east-1:123456789012:job-queue/genomics-batch-restricted-";
        assertThat(statement(batch, "SubmitToThisEnvironmentsQueues").get("Resource").toString())
                .startsWith("[\"" + queues + "default\",\"" + queues + "high-priority\",\"" + queues + "head-job\",");
        assertThat(statement(batch, "PassTheJobRoleOnly").get("Resource").toString())
                .isEqualTo("[\"" + JOB_ROLE + "\"]");
    }

    @Test
    void wildcardCharactersOfAPathStayCharactersInPolicies() {
        assertThat(PolicyDocuments.literal("arn:aws:iam::123456789012:role/lab*?$/jobs"))
                .isEqualTo("arn:aws:iam::123456789012:role/lab${*}${?}${$}/jobs");
        var r = succeeded(TestStacks.run("dev", Map.of("iamRolePath", "/lab*/")));
        var head = JsonParser.parseString((String) TestStacks.resource(r, "genomics-batch-head-job-role-batch")
                .inputs().get("policy")).getAsJsonObject();
        assertThat(statement(head, "PassTheJobRoleOnly").get("Resource").toString())
                .isEqualTo("[\"arn:aws:iam::123456789012:role/lab${*}/genomics-batch-job-role\"]");
    }

    @Test
    void aLongPathCountsAgainstThePolicySizes() {
        var path = "/" + "p".repeat(510) + "/";
        var settings = io.genomicsbatch.config.ConfigReader.read(ConfigSource.of(Map.of("iamRolePath", path)))
                .orThrow();
        var plain = io.genomicsbatch.config.ConfigReader.defaults();
        assertThat(SubmitterPolicy.characters("genomics-batch-dev", settings)
                - SubmitterPolicy.characters("genomics-batch-dev", plain)).isEqualTo(2 * (path.length() - 1));
        assertThat(InlinePolicyBudget.headJobRoleCharacters("genomics-batch-dev", settings)
                - InlinePolicyBudget.headJobRoleCharacters("genomics-batch-dev", plain)).isEqualTo(path.length() - 1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> exported(Recorder.Recording r) {
        return (Map<String, Map<String, Object>>) r.outputs().get(BroughtRole.OUTPUT);
    }

    /** A role's inline policies (aws:iam/rolePolicy) by the suffix after {@code prefix}. */
    static Map<String, Object> inlineOf(Recorder.Recording r, String prefix) {
        var out = new java.util.LinkedHashMap<String, Object>();
        ofType(r, ROLE_POLICY).stream().filter(p -> p.name().startsWith(prefix))
                .forEach(p -> out.put(p.name().substring(prefix.length()), p.inputs().get("policy")));
        return out;
    }

    static com.google.gson.JsonObject statement(com.google.gson.JsonObject document, String sid) {
        for (var s : document.getAsJsonArray("Statement")) {
            if (s.getAsJsonObject().get("Sid").getAsString().equals(sid)) {
                return s.getAsJsonObject();
            }
        }
        throw new AssertionError("no statement " + sid + " in " + document);
    }
}
