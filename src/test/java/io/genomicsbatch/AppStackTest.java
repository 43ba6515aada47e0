package io.genomicsbatch;

import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.internal.PulumiTestInternal;
import io.genomicsbatch.config.InvalidConfigException;
import io.genomicsbatch.support.AwsAnswers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entry point Pulumi calls, {@link App#stack}, reading config the way a deployment does. The
 * public test API cannot inject config (pulumi-java #1333); the SDK's internal test builder can.
 */
class AppStackTest {

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    static com.pulumi.test.TestResult runStack(Map<String, String> config) {
        return PulumiTestInternal.builder()
                .options(TestOptions.builder().projectName("genomics-batch").stackName("dev").build())
                .mocks(new AwsAnswers())
                .config(config)
                .build()
                .runTest(App::stack);
    }

    @Test
    void stackReadsThePulumiConfig() {
        var result = runStack(Map.of("genomics-batch:spotMaxVcpus", "32", "genomics-batch:queueSpillover", "false"));
        assertThat(result.exceptions()).isEmpty();
        assertThat(result.outputs()).containsKey("defaultJobQueueArn");
        var spot = result.resources().stream().filter(r -> r.pulumiResourceName().equals("genomics-batch-spot"))
                .findFirst().orElseThrow();
        var maxVcpus = PulumiTest.extractValue(((com.pulumi.aws.batch.ComputeEnvironment) spot).computeResources())
                .orElseThrow().maxVcpus();
        assertThat(maxVcpus).isEqualTo(32);
    }

    @Test
    void stackRefusesBadPulumiConfigBeforeRegisteringAnything() {
        // The engine logger reports the failure to the user; capture it instead of printing it.
        var logged = new java.util.ArrayList<java.util.logging.LogRecord>();
        var capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        var root = java.util.logging.Logger.getLogger("");
        var handlers = root.getHandlers();
        Arrays.stream(handlers).forEach(root::removeHandler);
        root.addHandler(capture);
        com.pulumi.test.TestResult result;
        try {
            result = runStack(Map.of("genomics-batch:spotMaxVcpus", "lots"));
        } finally {
            root.removeHandler(capture);
            Arrays.stream(handlers).forEach(root::addHandler);
        }
        assertThat(logged).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
            assertThat(r.getMessage()).contains("genomics-batch:spotMaxVcpus: got \"lots\"");
        });
        assertThat(result.exceptions()).isNotEmpty();
        var cause = result.exceptions().get(0);
        while (!(cause instanceof InvalidConfigException) && cause.getCause() != null) {
            cause = (Exception) cause.getCause();
        }
        assertThat(cause).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("genomics-batch:spotMaxVcpus: got \"lots\"");
        assertThat(result.resources()).allSatisfy(r -> assertThat(r.pulumiResourceType()).isEqualTo("pulumi:pulumi:Stack"));
    }

    @Test
    void theMainClassHasExactlyOneStackEntryPoint() {
        var entryPoints = Arrays.stream(App.class.getDeclaredMethods())
                .filter(m -> m.getName().equals("stack") && Modifier.isStatic(m.getModifiers())
                        && Modifier.isPublic(m.getModifiers()))
                .toList();
        assertThat(entryPoints).hasSize(1);
        assertThat(entryPoints.get(0).getParameterTypes()).containsExactly(com.pulumi.Context.class);
    }
}
