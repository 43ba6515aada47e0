package io.genomicsbatch.examples.submitjobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the real program under the Pulumi SDK's mock engine. */
class AppTest {

    private static final String STACK = "acme/genomics-batch/dev";
    private static final String DEFAULT_QUEUE = "arn:aws:batch:us-east-1:123456789012:job-queue/default-5f2a";
    private static final String HIGH_QUEUE = "arn:aws:batch:us-east-1:123456789012:job-queue/high-priority-9c1d";
    private static final String JOB_ROLE = "arn:aws:iam::123456789012:role/genomics-batch-job-7e4b";

    private static final String STACK_REFERENCE = "pulumi:pulumi:StackReference";
    private static final String LOG_GROUP = "/aws/batch/genomics-batch-dev";
    private static final String JOB_DEFINITION = "aws:batch/jobDefinition:JobDefinition";

    /** Answers the StackReference with the given outputs and records every resource. */
    static final class RecordingMocks implements Mocks {
        final List<ResourceArgs> resources = new CopyOnWriteArrayList<>();
        private final Map<String, Object> stackOutputs;

        RecordingMocks(Map<String, Object> stackOutputs) {
            this.stackOutputs = stackOutputs;
        }

        @Override
        public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
            resources.add(args);
            if (args.type.equals(STACK_REFERENCE)) {
                var name = String.valueOf(args.inputs.get("name"));
                return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(name),
                        Map.of("name", name, "outputs", stackOutputs, "secretOutputNames", List.of())));
            }
            var state = new HashMap<String, Object>(args.inputs);
            if (args.type.equals(JOB_DEFINITION)) {
                state.put("name", args.name + "-a1b2c3");
                state.put("arn", "arn:aws:batch:us-east-1:123456789012:job-definition/" + args.name + "-a1b2c3:1");
            }
            return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(args.name + "-id"), state));
        }

        ResourceArgs only(String type) {
            var matches = resources.stream().filter(r -> r.type.equals(type)).toList();
            assertThat(matches).as("resources of type %s", type).hasSize(1);
            return matches.get(0);
        }
    }

    private static Map<String, Object> environmentOutputs() {
        return Map.of(
                "defaultJobQueueArn", DEFAULT_QUEUE,
                "highPriorityJobQueueArn", HIGH_QUEUE,
                "jobRoleArn", JOB_ROLE,
                "jobLogGroupName", LOG_GROUP,
                "vpcId", "vpc-0abc");
    }

    private static TestResult run(RecordingMocks mocks, String environmentStack) {
        return PulumiTest.withMocks(mocks).runTest(ctx -> App.define(ctx, environmentStack));
    }

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    @Test
    void readsTheConfiguredEnvironmentStack() {
        var mocks = new RecordingMocks(environmentOutputs());
        run(mocks, STACK).throwOnError();

        assertThat(mocks.only(STACK_REFERENCE).inputs).containsEntry("name", STACK);
    }

    @Test
    void jobDefinitionRetriesOnlySpotInterruptionsAndHasATimeout() {
        var mocks = new RecordingMocks(environmentOutputs());
        run(mocks, STACK).throwOnError();
        var inputs = mocks.only(JOB_DEFINITION).inputs;

        assertThat(inputs).containsEntry("type", "container");
        assertThat(inputs.get("platformCapabilities")).isEqualTo(List.of("EC2"));

        var retry = asMap(inputs.get("retryStrategy"));
        assertThat(((Number) retry.get("attempts")).intValue()).isEqualTo(3);
        // Order matters: the first matching rule wins.
        assertThat(asList(retry.get("evaluateOnExits"))).containsExactly(
                Map.of("onStatusReason", "Host EC2*", "action", "RETRY"),
                Map.of("onReason", "*", "action", "EXIT"));

        var timeout = asMap(inputs.get("timeout"));
        assertThat(((Number) timeout.get("attemptDurationSeconds")).intValue()).isEqualTo(12 * 60 * 60);
    }

    @Test
    void containerPropertiesUseTheEnvironmentsJobRoleAndPerJobScratch() {
        var mocks = new RecordingMocks(environmentOutputs());
        run(mocks, STACK).throwOnError();
        var props = JsonParser.parseString((String) mocks.only(JOB_DEFINITION).inputs.get("containerProperties"))
                .getAsJsonObject();

        assertThat(props.get("image").getAsString()).isEqualTo("quay.io/biocontainers/bwa-mem2:2.2.1--he513fc3_0");
        assertThat(props.get("jobRoleArn").getAsString()).isEqualTo(JOB_ROLE);
        var logs = props.getAsJsonObject("logConfiguration");
        assertThat(logs.get("logDriver").getAsString()).isEqualTo("awslogs");
        assertThat(logs.getAsJsonObject("options").get("awslogs-group").getAsString()).isEqualTo(LOG_GROUP);

        var resources = byKey(props.getAsJsonArray("resourceRequirements"), "type", "value");
        assertThat(resources).containsOnly(Map.entry("VCPU", "4"), Map.entry("MEMORY", "16384"));
        // The aligner uses exactly the vCPUs it reserved.
        assertThat(byKey(props.getAsJsonArray("environment"), "name", "value"))
                .containsEntry("THREADS", resources.get("VCPU"));

        var volumes = props.getAsJsonArray("volumes");
        assertThat(volumes).hasSize(1);
        var volume = volumes.get(0).getAsJsonObject();
        assertThat(volume.getAsJsonObject("host").get("sourcePath").getAsString()).isEqualTo("/scratch");
        var mountPoints = props.getAsJsonArray("mountPoints");
        assertThat(mountPoints).hasSize(1);
        var mount = mountPoints.get(0).getAsJsonObject();
        assertThat(mount.get("sourceVolume").getAsString()).isEqualTo(volume.get("name").getAsString());
        assertThat(mount.get("containerPath").getAsString()).isEqualTo("/scratch");
        assertThat(mount.get("readOnly").getAsBoolean()).isFalse();

        var command = strings(props.getAsJsonArray("command"));
        assertThat(command.subList(0, 2)).containsExactly("sh", "-c");
        assertThat(command.subList(4, command.size()))
                .containsExactly("Ref::reference", "Ref::reads1", "Ref::reads2", "Ref::outputDir");
        var script = command.get(2);
        assertThat(script)
                .contains("workdir=\"/scratch/${AWS_BATCH_JOB_ID")
                .contains("mkdir -p \"$workdir\"")
                .contains("trap 'rm -rf \"$workdir\"' EXIT")
                .contains("cd \"$workdir\"");
        // The per-job directory exists before the aligner runs in it.
        assertThat(script.indexOf("mkdir -p \"$workdir\"")).isLessThan(script.indexOf("bwa-mem2 mem"));
    }

    @Test
    void exportsTheJobDefinitionAndTheQueues() {
        var mocks = new RecordingMocks(environmentOutputs());
        var result = run(mocks, STACK).throwOnError();

        assertThat(result.outputs()).containsOnlyKeys(
                "jobDefinitionArn", "jobDefinitionName", "defaultJobQueueArn", "highPriorityJobQueueArn");
        assertThat(PulumiTest.extractValue(result.output("jobDefinitionArn")))
                .isEqualTo("arn:aws:batch:us-east-1:123456789012:job-definition/bwa-mem2-align-a1b2c3:1");
        assertThat(PulumiTest.extractValue(result.output("jobDefinitionName"))).isEqualTo("bwa-mem2-align-a1b2c3");
        assertThat(PulumiTest.extractValue(result.output("defaultJobQueueArn"))).isEqualTo(DEFAULT_QUEUE);
        assertThat(PulumiTest.extractValue(result.output("highPriorityJobQueueArn"))).isEqualTo(HIGH_QUEUE);
    }

    @Test
    void failsWhenTheEnvironmentStackLacksARequiredOutput() {
        var outputs = new HashMap<>(environmentOutputs());
        outputs.remove("jobRoleArn");
        var result = run(new RecordingMocks(outputs), STACK);

        assertThat(result.exitCode()).isNotZero();
        assertThat(String.join("\n", result.errors()) + result.exceptions())
                .contains("jobRoleArn");
    }

    @Test
    void stackWithoutConfigFailsWithAClearMessage() {
        // The mock engine has no stack config, so this exercises the real
        // App.stack path up to its missing-config error.
        var mocks = new RecordingMocks(environmentOutputs());
        var result = PulumiTest.withMocks(mocks).runTest(App::stack);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.exceptions())
                .anySatisfy(e -> assertThat(e).hasMessageContaining("Missing required configuration 'environmentStack'")
                        .hasMessageContaining("pulumi config set environmentStack"));
        assertThat(mocks.resources).isEmpty();
    }

    @Test
    void environmentStackMustBeFullyQualified() {
        assertThat(App.environmentStack(Optional.of("  acme/genomics-batch/prod "))).isEqualTo("acme/genomics-batch/prod");
        assertThatThrownBy(() -> App.environmentStack(Optional.empty()))
                .hasMessageContaining("Missing required configuration 'environmentStack'");
        assertThatThrownBy(() -> App.environmentStack(Optional.of("   ")))
                .hasMessageContaining("Missing required configuration 'environmentStack'");
        for (var bad : List.of("dev", "genomics-batch/dev", "acme//dev", "acme/genomics-batch/dev/x")) {
            assertThatThrownBy(() -> App.environmentStack(Optional.of(bad)))
                    .as(bad)
                    .hasMessageContaining("<org>/<project>/<stack>")
                    .hasMessageContaining(bad);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static List<String> strings(JsonArray array) {
        var out = new ArrayList<String>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    /** [{k: a, v: b}, ...] as {a: b}; fails on duplicate keys. */
    private static Map<String, String> byKey(JsonArray array, String key, String value) {
        var out = new HashMap<String, String>();
        StreamSupport.stream(array.spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .forEach((JsonObject o) -> assertThat(out.put(o.get(key).getAsString(), o.get(value).getAsString()))
                        .as("duplicate %s", key).isNull());
        return out;
    }
}
