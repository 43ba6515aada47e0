package io.genomicsbatch.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pulumi.yaml, the stack files and the README agree with the code and with Pulumi's schema. */
class ProjectFilesTest {

    /**
     * Pulumi's project schema (sdk/go/common/workspace/project.json, Apache-2.0), kept as a test
     * resource so the test runs in any checkout; the workspace's shared copy, where present, must match.
     */
    static final Path SCHEMA = Path.of("src", "test", "resources", "pulumi-project.schema.json");
    static final Path SHARED_SCHEMA = Path.of("..", "shared", "schemas", "pulumi-project.schema.json");

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String file) throws IOException {
        return new Yaml().load(Files.readString(TestStacks.PROJECT_DIR.resolve(file)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void pulumiYamlValidatesAgainstThePulumiProjectSchema() throws IOException {
        var mapper = new ObjectMapper();
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(mapper.readTree(SCHEMA.toFile()));
        var errors = schema.validate(mapper.valueToTree(yaml("Pulumi.yaml")));
        assertThat(errors).isEmpty();
        // The validator really validates: a declaration with an unknown type is refused.
        var broken = yaml("Pulumi.yaml");
        ((Map<String, Object>) broken.get("config")).put("bad", Map.of("type", "number"));
        assertThat(schema.validate(mapper.valueToTree(broken))).isNotEmpty();
        // Nor can a mapping be declared: why tags is described in a comment.
        var mapping = yaml("Pulumi.yaml");
        ((Map<String, Object>) mapping.get("config")).put(ConfigKey.TAGS.key(),
                Map.of("type", "object", "default", Map.of(), "description", "tags"));
        assertThat(schema.validate(mapper.valueToTree(mapping))).isNotEmpty();
        // Nor a list of mappings: why ecrPullThroughCache is described in a comment too.
        var mappings = yaml("Pulumi.yaml");
        ((Map<String, Object>) mappings.get("config")).put(ConfigKey.ECR_PULL_THROUGH_CACHE.key(),
                Map.of("type", "array", "items", Map.of("type", "object"), "default", List.of()));
        assertThat(schema.validate(mapper.valueToTree(mappings))).isNotEmpty();
    }

    @Test
    void theSchemaCopyIsThePublishedOne() throws IOException {
        if (Files.exists(SHARED_SCHEMA)) {
            assertThat(Files.readString(SCHEMA)).isEqualTo(Files.readString(SHARED_SCHEMA));
        }
        assertThat(Files.readString(SCHEMA)).contains("\"configTypeDeclaration\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void pulumiYamlDeclaresExactlyTheConfigContract() throws IOException {
        var config = (Map<String, Object>) yaml("Pulumi.yaml").get("config");
        // Pulumi's schema declares no mappings: those keys are described in a comment instead.
        assertThat(config.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ConfigKey.values()).filter(k -> k.type().declarable()).map(ConfigKey::key).toList());
        var text = Files.readString(Path.of("Pulumi.yaml"));
        Arrays.stream(ConfigKey.values()).filter(k -> !k.type().declarable()).forEach(k -> assertThat(text)
                .as(k.key()).contains("  # " + k.key() + " (" + k.type().yamlName() + "; default "
                        + k.defaultValue() + ")"));
        var gson = new Gson();
        for (var key : Arrays.stream(ConfigKey.values()).filter(k -> k.type().declarable()).toList()) {
            var declaration = (Map<String, Object>) config.get(key.key());
            assertThat(declaration.get("type")).as(key.key()).isEqualTo(key.type().yamlName());
            assertThat((String) declaration.get("description")).as(key.key()).isNotBlank();
            if (key.type() == ConfigKey.Type.ARRAY) {
                assertThat(declaration.get("items")).as(key.key()).isEqualTo(Map.of("type", "string"));
            }
            if (key.type() == ConfigKey.Type.INTEGER_ARRAY) {
                assertThat(declaration.get("items")).as(key.key()).isEqualTo(Map.of("type", "integer"));
            }
            // Keys without a default are required by the CLI: every key of the contract has one.
            var yamlDefault = declaration.get("default");
            var raw = yamlDefault instanceof List<?> ? gson.toJson(yamlDefault) : String.valueOf(yamlDefault);
            assertThat(raw).as(key.key()).isEqualTo(key.defaultValue());
        }
    }

    @Test
    void pulumiYamlRunsTheSelfContainedJar() throws IOException {
        @SuppressWarnings("unchecked")
        var runtime = (Map<String, Object>) yaml("Pulumi.yaml").get("runtime");
        assertThat(runtime.get("name")).isEqualTo("java");
        assertThat(runtime.get("options")).isEqualTo(Map.of("binary", "target/genomics-batch.jar"));
        assertThat(yaml("Pulumi.yaml").get("name")).isEqualTo(ConfigKey.NAMESPACE);
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<finalName>genomics-batch</finalName>");
    }

    /** Provider settings the stacks may set; Pulumi.yaml cannot declare types for another namespace. */
    static final Set<String> PROVIDER_KEYS = Set.of("aws:region", "aws:profile", "aws:defaultTags");

    @Test
    @SuppressWarnings("unchecked")
    void everyKeyTheStackFilesUseIsDeclared() throws IOException {
        var declared = ((Map<String, Object>) yaml("Pulumi.yaml").get("config")).keySet();
        for (var stack : StackFiles.stacks(TestStacks.PROJECT_DIR)) {
            var keys = ((Map<String, Object>) yaml("Pulumi." + stack + ".yaml").get("config")).keySet();
            assertThat(keys).as(stack).allSatisfy(k -> {
                if (k.startsWith(ConfigKey.NAMESPACE + ":")) {
                    var bare = k.substring(ConfigKey.NAMESPACE.length() + 1);
                    if (ConfigKey.byKey(bare).filter(key -> !key.type().declarable()).isEmpty()) {
                        assertThat(declared).contains(bare);
                    }
                } else {
                    assertThat(PROVIDER_KEYS).contains(k);
                }
            });
            assertThat(keys).as(stack + " sets its region").contains("aws:region");
        }
        assertThat(StackFiles.stacks(TestStacks.PROJECT_DIR)).contains("dev", "prod");
    }

    @Test
    void stackFilesMergeLikeThePulumiCli(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Pulumi.yaml"), """
                name: genomics-batch
                runtime: java
                config:
                  spotMaxVcpus:
                    type: integer
                    default: 256
                  instanceTypes:
                    type: array
                    items: {type: string}
                    default: [m6i, c6i]
                  aws:region: eu-west-1
                """);
        Files.writeString(dir.resolve("Pulumi.test.yaml"), """
                config:
                  genomics-batch:instanceTypes: [r6i]
                  genomics-batch:protect: true
                """);
        var files = StackFiles.load(dir, "test");
        var source = files.source();
        assertThat(source.get("spotMaxVcpus")).contains("256");       // project default
        assertThat(source.get("instanceTypes")).contains("[\"r6i\"]"); // stack value wins, as JSON
        assertThat(source.get("protect")).contains("true");
        assertThat(files.region()).contains("eu-west-1");              // project-level value
        assertThat(source.keys()).containsExactlyInAnyOrder("spotMaxVcpus", "instanceTypes", "protect");
    }

    @Test
    void unknownStackNamesTheStacksThatExist() {
        assertThatThrownBy(() -> StackFiles.load(TestStacks.PROJECT_DIR, "staging"))
                .isInstanceOf(StackFiles.StackFileException.class)
                .hasMessageContaining("unknown stack \"staging\"")
                .hasMessageContaining("dev, efs, fsx, prod");
    }

    @Test
    void pulumiConfigKeysComeFromTheLanguageHostsEnvironment() {
        var json = "{\"genomics-batch:spotMaxVcpus\":\"12\",\"aws:region\":\"us-east-1\",\"genomics-batch:typo\":\"1\"}";
        assertThat(PulumiConfigSource.namespaceKeys(PulumiConfigSource.fullKeys(json))).containsExactly("spotMaxVcpus", "typo");
        assertThat(PulumiConfigSource.namespaceKeys(PulumiConfigSource.fullKeys(null))).isEmpty();
        // aws:region is the provider's key, read from the same object so that a typo is refused with the rest.
        assertThat(new PulumiConfigSource(null, json).awsRegion()).contains("us-east-1");
        assertThat(new PulumiConfigSource(null, "{\"genomics-batch:protect\":\"true\"}").awsRegion()).isEmpty();
        assertThat(new PulumiConfigSource(null, null).awsRegion()).isEmpty();
    }

    @Test
    void configurationReferenceListsExactlyTheConfigKeysWithTheirTypes() throws IOException {
        var readme = Files.readString(Path.of("docs/configuration.md"));
        var table = readme.substring(readme.indexOf("| key | type | default | allowed | meaning |"));
        table = table.substring(0, table.indexOf("\n\n"));
        var rows = java.util.regex.Pattern.compile("(?m)^\\| `([A-Za-z0-9]+)` \\| (\\w+) \\|").matcher(table).results()
                .collect(java.util.stream.Collectors.toMap(m -> m.group(1), m -> m.group(2),
                        (a, b) -> a, java.util.LinkedHashMap::new));
        assertThat(rows.keySet()).containsExactlyElementsOf(
                java.util.Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList());
        for (var key : ConfigKey.values()) {
            assertThat(rows.get(key.key())).as(key.key()).isEqualTo(key.type().yamlName());
        }
    }
}
