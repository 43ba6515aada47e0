package io.genomicsbatch.support;

import io.genomicsbatch.App;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real program ({@link App#deploy}) under the SDK's mock engine with {@link AwsAnswers}. */
public final class TestStacks {
    private TestStacks() {
    }

    /** The project file, the product's own: every test project has it. */
    public static final Path PROJECT_FILE = Path.of("Pulumi.yaml");

    /** The fixture stack files: the "dev", "prod" and "boot" stacks of the tests. */
    public static final Path FIXTURES = Path.of("src", "test", "resources", "stacks");

    /**
     * The tests' project directory: the project file with the fixture stack files, made once per test
     * JVM under target/. The project's own Pulumi.&lt;stack&gt;.yaml files are the adopter's: no test
     * reads them but ProjectStacksTest, which plans each one, whatever its name.
     */
    public static final Path PROJECT_DIR = fixtureProject();

    /** The VPC and subnets the fixture Pulumi.prod.yaml names. */
    public static final String PROD_VPC = "vpc-0a1b2c3d4e5f67890";
    public static final List<String> PROD_SUBNETS =
            List.of("subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892", "subnet-0a1b2c3d4e5f67893");

    /**
     * A fake account that holds what a fixture stack file refers to: prod's VPC, or the default VPC; for
     * "restricted", whose brought head-job role's policy names the queues by AWS's ARNs, queues with those.
     */
    public static AwsAnswers answersFor(String stack) {
        return stack.equals("prod") || stack.equals("prod-private") ? new AwsAnswers(Map.of(PROD_VPC, PROD_SUBNETS))
                : stack.equals("restricted") ? new AwsAnswers().withAwsQueueArns() : new AwsAnswers();
    }

    /** The stack with these raw config values (bare keys, values as the Pulumi CLI passes them). */
    public static Recorder.Recording run(String stack, Map<String, String> config) {
        return run(stack, ConfigSource.of(config), new AwsAnswers());
    }

    /** A copy of the project's Pulumi.yaml in {@code dir}, with one stack file of our own. */
    public static Path project(Path dir, String stack, String stackYaml) throws IOException {
        Files.copy(PROJECT_FILE, dir.resolve("Pulumi.yaml"));
        Files.writeString(dir.resolve("Pulumi." + stack + ".yaml"), stackYaml);
        return dir;
    }

    public static Recorder.Recording run(String stack, ConfigSource config, AwsAnswers answers) {
        return Recorder.run(stack, answers, ctx -> App.deploy(ctx, config));
    }

    /** The stack as its fixture Pulumi.&lt;stack&gt;.yaml configures it, merged with Pulumi.yaml. */
    public static Recorder.Recording runStackFile(String stack, AwsAnswers answers) {
        return run(stack, StackFiles.load(PROJECT_DIR, stack).source(), answers);
    }

    /** The fixture stack file's values with some replaced (bare keys, values as the Pulumi CLI passes them). */
    public static ConfigSource stackFileWith(String stack, Map<String, String> overrides) {
        var file = StackFiles.load(PROJECT_DIR, stack).source();
        var values = new java.util.TreeMap<String, String>();
        file.keys().forEach(k -> values.put(k, file.get(k).orElseThrow()));
        values.putAll(overrides);
        return ConfigSource.of(values);
    }

    private static Path fixtureProject() {
        try {
            var dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "test-project-");
            Files.copy(PROJECT_FILE, dir.resolve("Pulumi.yaml"));
            try (var stacks = Files.newDirectoryStream(FIXTURES, "Pulumi.*.yaml")) {
                for (var stack : stacks) {
                    Files.copy(stack, dir.resolve(stack.getFileName()));
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException e) {
                    // left in target/: the next clean removes it
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run that must have succeeded. */
    public static Recorder.Recording succeeded(Recorder.Recording recording) {
        assertThat(recording.exceptions()).as("program exceptions").isEmpty();
        return recording;
    }

    public static PlannedResource resource(Recorder.Recording recording, String name) {
        return recording.resources().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no resource named " + name + " in "
                        + recording.resources().stream().map(PlannedResource::name).toList()));
    }

    public static List<PlannedResource> ofType(Recorder.Recording recording, String type) {
        return recording.resources().stream().filter(r -> r.type().equals(type)).toList();
    }

    /** A nested input, e.g. {@code input(ce, "computeResources", "launchTemplate", "version")}. */
    public static Object input(PlannedResource resource, String... path) {
        Object current = resource.inputs();
        for (var key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    /** The config error a recording failed with (the program must have failed for its config). */
    public static io.genomicsbatch.config.InvalidConfigException invalidConfig(Recorder.Recording recording) {
        assertThat(recording.exceptions()).as("the program must fail").isNotEmpty();
        for (Throwable t = recording.exceptions().get(0); t != null; t = t.getCause()) {
            if (t instanceof io.genomicsbatch.config.InvalidConfigException e) {
                return e;
            }
        }
        throw new AssertionError("not a config error: " + recording.exceptions().get(0));
    }
}
