package io.genomicsbatch;

import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack outputs other projects read through StackReference. {@link EnvironmentOutputs#CONTRACT}
 * is the one list: the program exports from it, docs/outputs.md documents it, and released names must
 * never leave it (renaming one breaks consumers).
 */
class OutputContractTest {

    /** Every output of release 0.1.0: consumers may read each of them. */
    static final List<String> RELEASED = List.of("defaultJobQueueArn", "highPriorityJobQueueArn",
            "defaultJobQueueName", "highPriorityJobQueueName", "spotComputeEnvironmentArn",
            "onDemandComputeEnvironmentArn", "jobRoleArn", "instanceRoleArn", "instanceProfileArn",
            "launchTemplateId", "securityGroupId", "vpcId", "subnetIds");

    static List<String> names(boolean conditionalToo) {
        return EnvironmentOutputs.CONTRACT.stream()
                .filter(s -> conditionalToo || s.onlyWhen().isEmpty())
                .map(EnvironmentOutputs.Spec::name).toList();
    }

    static void assertTypes(Map<String, Object> outputs) {
        EnvironmentOutputs.CONTRACT.stream().filter(s -> outputs.containsKey(s.name()))
                .forEach(s -> assertThat(outputs.get(s.name())).as(s.name()).isInstanceOf(s.type()));
    }

    @Test
    void releasedOutputsAreStillExported() {
        assertThat(names(false)).containsAll(RELEASED);
    }

    @Test
    void shippedStacksExportTheUnconditionalOutputsInContractOrder() {
        for (var stack : List.of("dev", "prod")) {
            var outputs = TestStacks.succeeded(TestStacks.runStackFile(stack, TestStacks.answersFor(stack))).outputs();
            // prod ships with alerts (alertEmails), which add their topic's ARN
            var expected = new java.util.ArrayList<>(names(false));
            if (stack.equals("prod")) {
                expected.add("alertTopicArn");
            }
            assertThat(outputs.keySet()).as(stack).containsExactlyElementsOf(expected);
            assertTypes(outputs);
            assertThat((List<?>) outputs.get("subnetIds")).isNotEmpty()
                    .allSatisfy(s -> assertThat(s).isInstanceOf(String.class));
        }
    }

    @Test
    void theGpuEnvironmentAndAWorkDirectoryAddTheConditionalOutputs() {
        var outputs = TestStacks.succeeded(TestStacks.run("dev", Map.ofEntries(
                Map.entry("gpuMaxVcpus", "64"),
                Map.entry("dataBucketNames", "[\"acme-reads\",\"acme-work\"]"),
                Map.entry("workDirectory", "s3://acme-work/runs/"),
                Map.entry("alertTopicArn", "arn:aws:sns:us-east-1:123456789012:lab-alerts"),
                Map.entry("ecrPullThroughCache", "[{\"upstream\":\"quay\"}]"),
                Map.entry("amiPinning", "true"),
                Map.entry("groups", "[{\"name\":\"lab1\",\"maxVcpus\":16}]"),
                Map.entry("jobRoleArn", "arn:aws:iam::123456789012:role/lab-jobs"),
                Map.entry("fairShare", "{\"shares\":[{\"id\":\"labA\"}]}"),
                Map.entry("sharedFileSystem", "{\"type\":\"efs\",\"existingId\":\"fs-0123456789abcdef0\"}"),
                Map.entry("sharedFileSystemSecurityGroupIds", "[\"sg-0123456789abcdef0\"]")))).outputs();

        assertThat(outputs.keySet()).containsExactlyElementsOf(names(true));
        assertTypes(outputs);
        // As the engine configs use it: the trailing '/' dropped.
        assertThat(outputs).containsEntry("workDirectory", "s3://acme-work/runs");
        // A topic of one's own is exported as given.
        assertThat(outputs).containsEntry("alertTopicArn", "arn:aws:sns:us-east-1:123456789012:lab-alerts");
        // The registry cache's image prefix per upstream, a mapping of strings.
        List<Object> upstreams = List.copyOf(((Map<?, ?>) outputs.get("registryCacheImagePrefixes")).keySet());
        assertThat(upstreams).containsExactly("quay");
        assertThat(((Map<?, ?>) outputs.get("registryCacheImagePrefixes")).values())
                .allSatisfy(v -> assertThat(v).isInstanceOf(String.class));
        // An existing file system is exported by the ID given, with where hosts and tasks see it.
        assertThat(outputs).containsEntry("sharedFileSystemId", "fs-0123456789abcdef0")
                .containsEntry("sharedFileSystemMountPath", "/mnt/shared");
        assertThat(TestStacks.succeeded(TestStacks.run("dev", Map.of("gpuMaxVcpus", "64"))).outputs())
                .doesNotContainKey("workDirectory").containsKey("gpuJobQueueArn");
        // Fair share: one submitter policy per share, by its identifier.
        var shares = (Map<?, ?>) outputs.get("shareSubmitterPolicyArns");
        assertThat(shares.keySet()).isEqualTo(java.util.Set.of("labA"));
        assertThat((String) shares.get("labA")).startsWith("arn:aws:iam::");
    }

    @Test
    void theOutputsReferenceDocumentsEveryOutputInContractOrderWithItsCondition() throws IOException {
        var section = Files.readString(Path.of("docs/outputs.md")) + "\n## ";
        section = section.substring(0, section.indexOf("\n## ", 1));
        var row = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\| ([^|]+) \\| [^|]+ \\| ([^\\n]+) \\|$");
        var documented = row.matcher(section).results().map(m -> m.group(1)).toList();
        assertThat(documented).containsExactlyElementsOf(names(true));
        row.matcher(section).results().forEach(m -> {
            var spec = EnvironmentOutputs.CONTRACT.stream().filter(s -> s.name().equals(m.group(1))).findFirst()
                    .orElseThrow();
            assertThat(m.group(2).trim()).as(spec.name()).isEqualTo(spec.type() == List.class
                    ? "list of strings" : spec.name().equals(EnvironmentOutputs.GROUPS) ? "mapping of mappings of strings"
                    : spec.name().equals(io.genomicsbatch.iam.BroughtRole.OUTPUT) ? "object"
                    : spec.type() == Map.class ? "mapping of strings" : "string");
            spec.onlyWhen().ifPresentOrElse(
                    when -> assertThat(m.group(3)).as(spec.name()).contains("(" + when + ")"),
                    () -> assertThat(m.group(3)).as(spec.name()).doesNotContain("(only when"));
        });
    }
}
