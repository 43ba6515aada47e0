package io.genomicsbatch.iam;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.genomicsbatch.support.AwsAnswers.arn;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.run;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The submitter policy as the real program registers it. What its statements allow and deny is
 * evaluated by the IAM simulator ({@code .ci/iam/check.mjs}, from {@link IamExportTest}'s export);
 * here: the resource, its scope and the output.
 */
class SubmitterPolicyTest {

    static final String POLICY = "aws:iam/policy:Policy";
    static final String QUEUE = "aws:batch/jobQueue:JobQueue";
    static final String ROLE = "aws:iam/role:Role";
    static final String NAME = "genomics-batch-submitter-policy";
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final Map<String, String> WORK = Map.of("dataBucketNames", "[\"acme-raw-reads\",\"acme-work\"]",
            "workDirectory", "s3://acme-work/team*a/runs");

    static JsonObject document(Recorder.Recording r) {
        return JsonParser.parseString((String) input(resource(r, NAME), "policy")).getAsJsonObject();
    }

    static Map<String, JsonObject> statements(Recorder.Recording r) {
        var bySid = new java.util.LinkedHashMap<String, JsonObject>();
        document(r).getAsJsonArray("Statement").forEach(s -> bySid.put(s.getAsJsonObject().get("Sid").getAsString(),
                s.getAsJsonObject()));
        return bySid;
    }

    static List<String> strings(JsonObject statement, String field) {
        return statement.getAsJsonArray(field).asList().stream().map(e -> e.getAsString()).toList();
    }

    @Test
    void aManagedPolicyWithAGeneratedNameExportedAsSubmitterPolicyArn() {
        var r = succeeded(run("dev", Map.of()));
        var policy = resource(r, NAME);
        assertThat(policy.type()).isEqualTo(POLICY);
        assertThat(policy.parent()).contains("genomics-batch");
        // No fixed name: AWS names it after the logical name, so two stacks in one account never clash.
        assertThat(policy.inputs()).doesNotContainKeys("name", "namePrefix");
        assertThat(input(policy, "tags")).isEqualTo(Map.of("Project", "genomics-batch", "Environment", "dev",
                "ManagedBy", "pulumi"));
        assertThat(policy.protect()).isFalse();
        assertThat(r.outputs()).containsEntry("submitterPolicyArn", arn(POLICY, NAME));
        assertThat(resource(succeeded(run("dev", Map.of("protect", "true"))), NAME).protect()).isTrue();
    }

    @Test
    void submitsToEveryQueueOfThisEnvironmentWithTheEnginesJobDefinitionsOnly() {
        var r = succeeded(run("dev", Map.of("gpuMaxVcpus", "32")));
        var statements = statements(r);
        var batch = "arn:aws:batch:us-east-1:" + AwsAnswers.ACCOUNT + ":";
        var definitions = List.of(batch + "job-definition/nf-*", batch + "job-definition/cromwell_*",
                batch + "job-definition/snakejob-def-*", batch + "job-definition/genomics-batch-dev-*");
        assertThat(strings(statements.get("SubmitToThisEnvironmentsQueues"), "Action")).containsExactly("batch:SubmitJob");
        var submit = new java.util.ArrayList<String>(List.of(arn(QUEUE, "genomics-batch-default"),
                arn(QUEUE, "genomics-batch-high-priority"), arn(QUEUE, "genomics-batch-head-job"),
                arn(QUEUE, "genomics-batch-gpu-queue")));
        submit.addAll(definitions);
        submit.add(batch + "job/*");
        assertThat(strings(statements.get("SubmitToThisEnvironmentsQueues"), "Resource"))
                .containsExactlyInAnyOrderElementsOf(submit);
        assertThat(strings(statements.get("ManageEngineJobDefinitions"), "Action"))
                .containsExactlyInAnyOrder("batch:RegisterJobDefinition", "batch:DeregisterJobDefinition");
        assertThat(strings(statements.get("ManageEngineJobDefinitions"), "Resource"))
                .containsExactlyInAnyOrderElementsOf(definitions);
        assertThat(strings(statements.get("PassTheJobRolesOnly"), "Resource")).containsExactly(
                arn(ROLE, "genomics-batch-job-role"), arn(ROLE, "genomics-batch-head-job-role"));
        assertThat(strings(statements.get("ReadJobLogs"), "Resource")).allSatisfy(a -> assertThat(a)
                .startsWith("arn:aws:logs:us-east-1:" + AwsAnswers.ACCOUNT + ":log-group:/aws/batch/genomics-batch-dev"));
        // Only Describe/List calls, which AWS cannot scope, have "*".
        statements.forEach((sid, s) -> {
            if (strings(s, "Resource").contains("*")) {
                assertThat(strings(s, "Action")).as(sid).allSatisfy(a -> assertThat(a).containsPattern(":(Describe|List)"));
            }
        });
    }

    @Test
    void noS3WithoutAWorkDirectoryEvenWithDataBuckets() {
        var r = succeeded(run("dev", Map.of("dataBucketNames", "[\"acme-raw-reads\"]", "dataKmsKeyArns",
                "[\"" + KEY + "\"]")));
        assertThat(document(r).toString()).doesNotContain("s3:").doesNotContain("kms:").doesNotContain("acme-raw-reads");
    }

    @Test
    void theWorkDirectoryOnlyWithItsPrefixTakenLiterally() {
        var statements = statements(succeeded(run("dev", WORK)));
        assertThat(strings(statements.get("LocateTheWorkBucket"), "Resource")).containsExactly("arn:aws:s3:::acme-work");
        var list = statements.get("ListTheWorkDirectoryOnly");
        assertThat(strings(list, "Action")).containsExactly("s3:ListBucket");
        assertThat(strings(list, "Resource")).containsExactly("arn:aws:s3:::acme-work");
        // '*' in the prefix is a character, not a wildcard: IAM's "${*}".
        assertThat(strings(list.getAsJsonObject("Condition").getAsJsonObject("StringLike"), "s3:prefix"))
                .containsExactly("team${*}a/runs/", "team${*}a/runs/*");
        assertThat(strings(statements.get("ReadWriteTheWorkDirectory"), "Resource"))
                .containsExactly("arn:aws:s3:::acme-work/team${*}a/runs/*");
        assertThat(strings(statements.get("ReadWriteTheWorkDirectory"), "Action")).contains("s3:GetObject",
                "s3:PutObject", "s3:DeleteObject");
        // The other data bucket is the jobs', not the submitter's; no KMS without keys.
        assertThat(statements.toString()).doesNotContain("acme-raw-reads").doesNotContain("kms:");
    }

    @Test
    void dataKeysThroughS3OnlyWhenTheWorkDirectoryIsSet() {
        var withKeys = new java.util.HashMap<>(WORK);
        withKeys.put("dataKmsKeyArns", "[\"" + KEY + "\"]");
        var kms = statements(succeeded(run("dev", withKeys))).get("UseDataKeysThroughS3Only");
        assertThat(strings(kms, "Action")).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey");
        assertThat(strings(kms, "Resource")).containsExactly(KEY);
        assertThat(kms.getAsJsonObject("Condition").getAsJsonObject("StringLike").get("kms:ViaService").getAsString())
                .isEqualTo("s3.*");
    }

    static io.genomicsbatch.config.Settings.Environment withPrefix(int length, int keys) {
        var config = new java.util.HashMap<String, String>(Map.of("gpuMaxVcpus", "8",
                "dataBucketNames", "[\"acme-work\"]", "workDirectory", "s3://acme-work/" + "p".repeat(length)));
        if (keys > 0) {
            config.put("dataKmsKeyArns", java.util.stream.IntStream.range(0, keys)
                    .mapToObj(i -> "\"" + KEY.replace("1234abcd", String.format("%08d", i)) + "\"")
                    .collect(java.util.stream.Collectors.joining(",", "[", "]")));
        }
        return io.genomicsbatch.config.ConfigReader.read(io.genomicsbatch.config.ConfigSource.of(config)).orThrow();
    }

    /** The longest prefix the check accepts (it refuses every longer one). */
    static int longestAccepted(String namePrefix, int keys) {
        var length = 1;
        while (SubmitterPolicy.check(namePrefix, withPrefix(length + 1, keys)).isEmpty()) {
            length++;
        }
        return length;
    }

    @Test
    void theLongestAcceptedPolicyFitsIamsLimitAsRegistered() {
        var namePrefix = "genomics-batch-dev";
        var longest = longestAccepted(namePrefix, 0);
        // The policy the program registers for it fits; one character more is refused.
        var r = succeeded(io.genomicsbatch.support.TestStacks.run("dev", Map.of("gpuMaxVcpus", "8",
                "dataBucketNames", "[\"acme-work\"]", "workDirectory", "s3://acme-work/" + "p".repeat(longest))));
        var registered = (String) input(resource(r, NAME), "policy");
        assertThat(registered).doesNotContainPattern("\\s"); // IAM does not count whitespace; none is sent
        assertThat(registered.length()).isLessThanOrEqualTo(SubmitterPolicy.MAX_MANAGED_POLICY_CHARACTERS);
        // The measure is an upper bound: the longest partition, region and role names AWS could give.
        assertThat(SubmitterPolicy.characters(namePrefix, withPrefix(longest, 0)))
                .isGreaterThan(registered.length()).isLessThanOrEqualTo(SubmitterPolicy.MAX_MANAGED_POLICY_CHARACTERS);
        assertThat(SubmitterPolicy.check(namePrefix, withPrefix(longest + 1, 0))).isPresent();
        // Every data key costs room, and a longer environment name too.
        assertThat(longestAccepted(namePrefix, 10)).isLessThan(longest);
        assertThat(longestAccepted("x".repeat(64), 0)).isLessThan(longest);
    }
}
