package io.genomicsbatch.config;

import com.google.gson.Gson;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The tags key: read as a mapping of strings, refused as AWS would refuse a tag, before anything is registered. */
class TagsConfigTest {

    private static String json(Map<String, ?> tags) {
        return new Gson().toJson(tags);
    }

    static Stream<Arguments> badTags() {
        var longKey = "k".repeat(129);
        var longValue = "v".repeat(257);
        return Stream.of(
                // raw value, text the message shows for the bad value, text of what is allowed
                arguments(json(Map.of("aws:CostCenter", "1")), "\"aws:CostCenter\"", "aws: prefix is reserved"),
                arguments(json(Map.of("AWS:lab", "1")), "\"AWS:lab\"", "aws: prefix is reserved"),
                arguments(json(Map.of("", "1")), "\"\"", "1-128 characters, this one 0"),
                arguments(json(Map.of(longKey, "1")), "\"" + longKey + "\"", "1-128 characters, this one 129"),
                arguments(json(Map.of("Cost*Center", "1")), "\"Cost*Center\"",
                        "Unicode letters, digits, spaces and _ . : / = + - @"),
                arguments(json(Map.of("Lab", "a;b")), "\"a;b\"", "Unicode letters, digits, spaces"),
                arguments(json(Map.of("Lab", longValue)), "(257 characters)", "0-256 characters, this one 257"),
                arguments(json(Map.of("Lab", "line\nbreak")), "\"line\\u000abreak\"", "Unicode letters"),
                // Our own keys, as written and as the cost reports would write them.
                arguments(json(Map.of("Project", "x")), "\"Project\"", "set by genomics-batch itself"),
                arguments(json(Map.of("managed_by", "x")), "\"managed_by\"", "collides with ManagedBy"),
                arguments(json(Map.of("Genomics-Batch-Environment", "x")), "\"Genomics-Batch-Environment\"",
                        "storage growth's IAM is scoped by it"),
                // The run's job tags, which the engine configs add.
                arguments(json(Map.of("genomics-batch-run", "x")), "\"genomics-batch-run\"",
                        "the job tag the engine configs give each workflow run"),
                arguments(json(Map.of("GenomicsBatchSession", "x")), "\"GenomicsBatchSession\"",
                        "collides with genomics-batch-session"),
                // Collisions in cost reports: one message naming both keys.
                arguments(json(linked("costCenter", "1", "cost_center", "2")), "[\"costCenter\", \"cost_center\"]",
                        "AWS's cost reports write them as one column"),
                arguments(json(linked("Lab", "1", "LAB", "2")), "[\"Lab\", \"LAB\"]", "differ only in case"),
                arguments(json(linked("CostCenter", "1", "Costcenter", "2")), "[\"CostCenter\", \"Costcenter\"]",
                        "IAM does not tell apart"),
                arguments(json(linked("Cost Center", "1", "costCenter", "2")), "[\"Cost Center\", \"costCenter\"]",
                        "all cost_center"),
                arguments(json(linked("cost-center", "1", "cost:center", "2")), "[\"cost-center\", \"cost:center\"]",
                        "cost-center and cost_center"),
                // Values are text: YAML numbers and booleans must be quoted.
                arguments("{\"CostCenter\":4711}", "{\"CostCenter\":4711}", "quote numbers"),
                arguments("[\"Lab\"]", "[\"Lab\"]", "a mapping of keys to string values"),
                arguments("Lab=core", "\"Lab=core\"", "a mapping of keys to string values"));
    }

    private static Map<String, String> linked(String k1, String v1, String k2, String v2) {
        var m = new LinkedHashMap<String, String>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @ParameterizedTest(name = "tags = {0}")
    @MethodSource("badTags")
    void refusesTagsAwsWouldRefuseBeforeRegisteringAnything(String value, String shownValue, String allowed) {
        var answers = new AwsAnswers();
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of("tags", value)), answers);

        var problem = io.genomicsbatch.support.TestStacks.invalidConfig(recording);
        assertThat(problem.problems()).hasSize(1);
        var message = problem.problems().get(0).message();
        assertThat(message).startsWith("genomics-batch:tags").contains(shownValue).contains(allowed);
        assertThat(recording.resources()).as("resources registered").isEmpty();
        assertThat(answers.invokes()).as("lookups made").isEmpty();
    }

    @Test
    void atMost46TagsBecauseResourcesCarryFourOfOurOwnWithinAwssFifty() {
        var tags = new LinkedHashMap<String, String>();
        IntStream.rangeClosed(1, 46).forEach(i -> tags.put("k" + i, "v"));
        TestStacks.succeeded(TestStacks.run("dev", Map.of("tags", json(tags))));

        tags.put("k47", "v");
        var recording = TestStacks.run("dev", Map.of("tags", json(tags)));
        var problem = io.genomicsbatch.support.TestStacks.invalidConfig(recording);
        assertThat(problem.problems()).singleElement().extracting(ConfigProblem::message).asString()
                .isEqualTo("genomics-batch:tags: got 47 tags; expected at most 46: AWS allows 50 per resource, and "
                        + "instances and volumes carry genomics-batch's own [Project, Environment, ManagedBy, "
                        + "genomics-batch-environment]");
        assertThat(recording.resources()).isEmpty();
    }

    @Test
    void acceptsEverythingAwsAccepts() {
        var tags = new LinkedHashMap<String, String>();
        tags.put("k".repeat(128), "v".repeat(256));
        tags.put("Labor Étude 研究室 ٣", "Zürich / Genève = +1 @ lab_2: ok.");
        tags.put("Empty", "");
        tags.put("awsome", "not the aws: prefix");
        // 128 characters of two UTF-16 units each (a letter outside the Basic Multilingual Plane): AWS counts characters.
        tags.put("\uD835\uDC9C".repeat(128), "x");
        var recording = TestStacks.succeeded(TestStacks.run("dev", Map.of("tags", json(tags))));
        var settings = ConfigReader.read(ConfigSource.of(Map.of("tags", json(tags)))).orThrow();
        assertThat(settings.tags()).containsExactlyEntriesOf(tags);
        assertThat(recording.resources()).isNotEmpty();
    }

    @Test
    void keysThatStayApartInCostReportsAreAccepted() {
        // costcenter is its own column (no camel case to split); cost_center is another.
        TestStacks.succeeded(TestStacks.run("dev", Map.of("tags", json(linked("costcenter", "1", "cost_center", "2")))));
        assertThat(ResourceTags.costReportKey("user:CostCenter")).isEqualTo("user_cost_center");
        assertThat(ResourceTags.costReportKey("Lab2Name")).isEqualTo("lab2_name");
    }

    @Test
    void aSymbolOutsideAwssLettersIsRefusedEvenThoughEc2WouldTakeIt() {
        // EC2 and Batch take any character, IAM and CloudWatch Logs do not: the strictest rule wins.
        var recording = TestStacks.run("dev", Map.of("tags", json(Map.of("Lab", "😀"))));
        assertThat(io.genomicsbatch.support.TestStacks.invalidConfig(recording).problems()).singleElement()
                .extracting(ConfigProblem::message).asString().contains("IAM's and CloudWatch Logs' rule");
    }

    @Test
    void aStackFileMappingReachesTheProgramAsTheCliPassesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        TestStacks.project(dir, "lab", """
                config:
                  aws:region: eu-west-1
                  genomics-batch:tags:
                    CostCenter: "4711"
                    Lab: sequencing-core
                """);
        var source = StackFiles.load(dir, "lab").source();
        assertThat(ConfigReader.read(source).orThrow().tags())
                .containsExactly(Map.entry("CostCenter", "4711"), Map.entry("Lab", "sequencing-core"));
    }
}
