package io.genomicsbatch.config;

import io.genomicsbatch.App;
import io.genomicsbatch.plan.PlanEngine;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every stack file of the project, whatever its name, plans: the project directory's
 * Pulumi.&lt;stack&gt;.yaml files are the adopter's (a lab adds its own, edits or deletes the ones it
 * got), so each is planned as {@code plan --stack NAME} plans it, and nothing here expects values.
 * The tests' own "dev" and "prod" are fixtures (TestStacks.PROJECT_DIR).
 */
class ProjectStacksTest {

    static final Path PROJECT_DIR = Path.of(".");

    /** A stack file as Pulumi names it next to Pulumi.yaml. */
    static final Pattern STACK_FILE = Pattern.compile("Pulumi\\.(.+)\\.yaml");

    /** Names a stack file was probably meant to have: another extension or case. */
    static final Pattern NEAR_MISS = Pattern.compile("(?i)pulumi\\.(.+)\\.(ya?ml|json)");

    /** The AWS provider's settings (aws:region, aws:allowedAccountIds, ...): its Config class's getters. */
    static final Set<String> AWS_PROVIDER_KEYS = Arrays.stream(com.pulumi.aws.Config.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0)
            .map(Method::getName).map(name -> "aws:" + name).collect(Collectors.toCollection(TreeSet::new));

    @TestFactory
    Stream<DynamicTest> everyStackFileOfTheProjectPlans() throws IOException {
        return stackTests(PROJECT_DIR);
    }

    /** One test per stack file in {@code dir}, and one failing test per file misnamed for one. */
    static Stream<DynamicTest> stackTests(Path dir) throws IOException {
        List<String> names;
        try (var files = Files.list(dir)) {
            names = files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
        var tests = names.stream().flatMap(name -> {
            var stack = STACK_FILE.matcher(name);
            if (stack.matches()) {
                return Stream.of(DynamicTest.dynamicTest("stack " + stack.group(1) + " (" + name + ") plans",
                        () -> plans(dir, stack.group(1))));
            }
            var nearMiss = NEAR_MISS.matcher(name);
            if (nearMiss.matches()) {
                return Stream.of(DynamicTest.dynamicTest(name + " is not a stack file Pulumi reads",
                        () -> fail(misnamed(name, nearMiss.group(1)))));
            }
            return Stream.empty();
        }).toList();
        return tests.isEmpty()
                ? Stream.of(DynamicTest.dynamicTest("no Pulumi.<stack>.yaml in the project: nothing to plan", () -> {
                }))
                : tests.stream();
    }

    static String misnamed(String name, String stack) {
        return name + ": Pulumi only reads the config of stack \"" + stack + "\" from Pulumi." + stack + ".yaml (a"
                + " stack file takes the name and extension of the project file, Pulumi.yaml), so `pulumi up --stack "
                + stack + "` would ignore this file: rename it to Pulumi." + stack + ".yaml";
    }

    /** The stack file plans with no config problem, sets its region, and sets only keys that are declared. */
    @SuppressWarnings("unchecked")
    static void plans(Path dir, String stack) throws IOException {
        var file = "Pulumi." + stack + ".yaml";
        var stackFiles = StackFiles.load(dir, stack);
        try {
            var plan = PlanEngine.run(stack, () -> stackFiles, f -> ctx -> App.deploy(ctx, f.source()));
            assertThat(plan.resources()).as(file + ": planned resources").isNotEmpty();
        } catch (PlanEngine.ProgramFailedException e) {
            throw new AssertionError(file + ": the program refuses this stack's config: " + e.getMessage(), e);
        }
        assertThat(stackFiles.region()).as(file + " sets aws:region (else `pulumi up` takes the region of"
                + " whatever AWS environment it runs in)").isPresent();
        var document = (Map<String, Object>) new Yaml().load(Files.readString(dir.resolve(file)));
        var config = document == null ? null : (Map<String, Object>) document.get("config");
        var declared = ((Map<String, Object>) ((Map<String, Object>) new Yaml().load(
                Files.readString(dir.resolve("Pulumi.yaml")))).get("config")).keySet();
        var undeclared = (config == null ? Set.<String>of() : config.keySet()).stream()
                .filter(k -> k.startsWith(ConfigKey.NAMESPACE + ":")
                        ? !declared.contains(k.substring(ConfigKey.NAMESPACE.length() + 1))
                        // Keys Pulumi.yaml cannot declare (mappings) are the program's all the same.
                        && ConfigKey.byKey(k.substring(ConfigKey.NAMESPACE.length() + 1))
                        .filter(key -> !key.type().declarable()).isEmpty()
                        : !AWS_PROVIDER_KEYS.contains(k))
                .toList();
        assertThat(undeclared).as(file + ": keys that are neither declared in Pulumi.yaml nor settings of the AWS"
                + " provider (a typo? nothing reads them)").isEmpty();
    }

    @Test
    void theProviderKeysAreReadFromTheAwsProvider() {
        assertThat(AWS_PROVIDER_KEYS).containsAll(ProjectFilesTest.PROVIDER_KEYS)
                .contains("aws:allowedAccountIds").doesNotContain("aws:getClass", "aws:toString");
    }

    /** A lab's own stack plans; a misnamed file, a typo and an unset region fail; no stack file is nothing to plan. */
    @Test
    void anyStackFilePlansAMisnamedOneFailsAndNoneIsNothingToPlan(@TempDir Path dir) throws Throwable {
        TestStacks.project(dir, "lab1", "config:\n  aws:region: eu-west-2\n  genomics-batch:vpcId: vpc-0123456789abcdef0\n"
                + "  genomics-batch:subnetIds: [subnet-0aa11bb22cc33dd44, subnet-0ee55ff6600112233]\n");
        Files.writeString(dir.resolve("Pulumi.lab2.yml"), "config:\n  aws:region: eu-west-2\n");
        Files.writeString(dir.resolve("Pulumi.typo.yaml"), "config:\n  aws:region: eu-west-2\n"
                + "  genomics-batch:spotMaxVcpu: 8\n  aws:regoin: eu-west-1\n");
        Files.writeString(dir.resolve("Pulumi.noregion.yaml"), "config:\n  genomics-batch:spotMaxVcpus: 8\n");
        var tests = stackTests(dir).toList();
        assertThat(tests).extracting(DynamicTest::getDisplayName).containsExactly(
                "stack lab1 (Pulumi.lab1.yaml) plans", "Pulumi.lab2.yml is not a stack file Pulumi reads",
                "stack noregion (Pulumi.noregion.yaml) plans", "stack typo (Pulumi.typo.yaml) plans");
        tests.get(0).getExecutable().execute();
        assertThatThrownBy(tests.get(1).getExecutable()::execute).isInstanceOf(AssertionError.class)
                .hasMessage(misnamed("Pulumi.lab2.yml", "lab2"));
        assertThatThrownBy(tests.get(2).getExecutable()::execute).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Pulumi.noregion.yaml sets aws:region");
        assertThatThrownBy(tests.get(3).getExecutable()::execute).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Pulumi.typo.yaml: the program refuses this stack's config:");

        var empty = Files.createDirectory(dir.resolve("empty"));
        Files.copy(TestStacks.PROJECT_FILE, empty.resolve("Pulumi.yaml"));
        assertThat(stackTests(empty)).singleElement().extracting(DynamicTest::getDisplayName)
                .isEqualTo("no Pulumi.<stack>.yaml in the project: nothing to plan");
    }

    @Test
    void undeclaredKeysAreNamed(@TempDir Path dir) throws Throwable {
        TestStacks.project(dir, "lab1", "config:\n  aws:region: eu-west-2\n  aws:regoin: eu-west-1\n"
                + "  aws:allowedAccountIds: [\"123456789012\"]\n  other:thing: 1\n");
        assertThatThrownBy(() -> plans(dir, "lab1")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Pulumi.lab1.yaml: keys that are neither declared in Pulumi.yaml nor settings")
                .hasMessageContaining("aws:regoin").hasMessageContaining("other:thing")
                .hasMessageNotContaining("aws:allowedAccountIds");
    }

    @Test
    void aMisnamedStackFileSaysWhichNamePulumiReads() {
        for (var name : List.of("Pulumi.lab1.yml", "pulumi.lab1.yaml", "Pulumi.lab1.json")) {
            var m = NEAR_MISS.matcher(name);
            assertThat(m.matches()).as(name).isTrue();
            assertThat(STACK_FILE.matcher(name).matches()).as(name).isFalse();
            assertThat(misnamed(name, m.group(1))).startsWith(name + ": Pulumi only reads the config of stack \"lab1\""
                    + " from Pulumi.lab1.yaml").endsWith("rename it to Pulumi.lab1.yaml");
        }
        assertThat(Stream.of("Pulumi.yaml", "Pulumi.yml", "pom.xml", "Pulumi.dev.yaml.orig")
                .filter(n -> NEAR_MISS.matcher(n).matches())).isEmpty();
    }
}
