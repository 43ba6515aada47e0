package io.genomicsbatch.config;

import io.genomicsbatch.GenomicsBatchEnvironment;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every config key (new keys included: the keys come from {@link ConfigKey#values()}) and
 * {@code aws:region}, fed values of every wrong shape, one at a time: the program either builds the
 * stack (the value is one AWS accepts) or refuses the config before registering anything, with
 * messages that name the key. No other exception may escape, now or halfway through a deployment
 * (the engine configs are built from the outputs, after everything is registered).
 *
 * <p>A refused value goes through the checks the program runs before anything else ({@link
 * ConfigReader}, then {@link GenomicsBatchEnvironment#problems}); the first refused value of each key
 * and every accepted value run the whole program under the mock engine. (The whole program for all
 * 2,000 values would take half a minute; the refusals it would add are the same calls.)
 */
class MalformedConfigTest {

    static final String HUGE = "x".repeat(100_000);

    /** Values of every shape: empty, blank, wrong type, JSON of the wrong shape, out of range, huge, odd text. */
    static final List<String> MALFORMED = List.of(
            "", " ", "\t\n", "null", "~", "true", "FALSE", "yes",
            "0", "-1", "+5", "-0", "2147483647", "2147483648", "-2147483649", "9".repeat(40), "1e3", "0x10", "1.5",
            "١٢", "12 ", " 7",
            "{}", "{\"a\":[1]}", "[]", "[1]", "[null]", "[[\"c6i\"]]", "[1,\"a\"]", "[\"\"]", "[\" \"]",
            "[\"c6i\",\"c6i\"]", "[\"c6i\"", "\"c6i\"",
            HUGE, "[\"" + HUGE + "\"]",
            IntStream.range(0, 2_000).mapToObj(i -> "\"acme-bucket-" + i + "\"").collect(Collectors.joining(",", "[", "]")),
            IntStream.range(0, 2_000).mapToObj(i -> i % 2 == 0 ? "\"c6i\"" : "\"m6g\"").collect(Collectors.joining(",", "[", "]")),
            "ünïcödé ✓ 🧬", "[\"ünïcödé\",\"🧬\"]", "\u0000", "line\nbreak", "\u202e-1",
            "${HOME}", "'quoted'", "../../etc/passwd", "s3://bucket/prefix", "arn:aws:s3:::bucket",
            // Legacy us-east-1 bucket names: capitals, underscores, up to 255 characters.
            "Legacy_Bucket_2016", "[\"Legacy_Bucket_2016\"]", "[\"Legacy_Bucket_2016\",\"acme-results\"]",
            "[\"" + "L".repeat(255) + "\"]", "[\"" + "L".repeat(256) + "\"]");

    /** Keys judged only when the GPU environment exists: fed with one, or they would never be read. */
    static Map<String, String> base(ConfigKey key) {
        return key.key().startsWith("gpu") && key != ConfigKey.GPU_MAX_VCPUS ? Map.of("gpuMaxVcpus", "64") : Map.of();
    }

    private final Set<Object> built = new java.util.HashSet<>();
    /** Settings the whole program already built: equal settings make the same program run, so once is enough. */
    private static final Set<Settings.Environment> BUILT_SETTINGS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void everyMalformedValueIsRefusedNamingTheKeyOrBuilt(ConfigKey key) {
        var ranRefused = false;
        for (var value : MALFORMED) {
            var config = new HashMap<>(base(key));
            config.put(key.key(), value);
            ranRefused |= check(key.fullKey(), value, ConfigSource.of(config), !ranRefused);
        }
        assertThat(ranRefused).as(key + ": some value refused").isTrue();
    }

    @Test
    void everyMalformedRegionIsRefusedNamingTheKeyOrBuilt() {
        var ranRefused = false;
        for (var value : MALFORMED) {
            ranRefused |= check("aws:region", value, ConfigSource.of(Map.of(), Set.of(), Optional.of(value)), !ranRefused);
        }
        assertThat(ranRefused).isTrue();
    }

    /** Judges one value; true when it was refused. {@code wholeProgram}: a refusal runs the program too. */
    private boolean check(String fullKey, String value, ConfigSource source, boolean wholeProgram) {
        var what = fullKey + " = " + ConfigProblem.render(value);
        List<ConfigProblem> problems;
        ConfigReader.Result read;
        try {
            read = ConfigReader.read(source);
            problems = read.valid() ? GenomicsBatchEnvironment.problems(new GenomicsBatchEnvironment.Args(
                    "genomics-batch-dev", read.settings(), Map.of())) : read.problems();
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": the checks threw " + e, e);
        }
        if (problems.isEmpty() && BUILT_SETTINGS.contains(read.settings())) {
            built.add(value);
            return false;
        }
        if (problems.isEmpty() || wholeProgram) {
            var answers = new AwsAnswers();
            var recording = TestStacks.run("dev", source, answers);
            if (problems.isEmpty()) {
                // Accepted: the whole program ran, the engine configs included.
                assertThat(recording.exceptions()).as(what).isEmpty();
                assertThat(recording.outputs()).as(what).containsKeys("nextflowConfig", "cromwellBackendConfig");
                BUILT_SETTINGS.add(read.settings());
                built.add(value);
                return false;
            }
            // Every exception the run saw is the config refusal (the SDK may report it more than once).
            recording.exceptions().forEach(e -> invalidConfig(e, what));
            assertThat(invalidConfig(recording.exceptions().get(0), what).problems()).as(what).isEqualTo(problems);
            assertThat(recording.resources()).as(what + ": resources registered").isEmpty();
            assertThat(answers.invokes()).as(what + ": lookups made").isEmpty();
        }
        // One problem, for the key fed, naming the value as messages show it (ConfigProblem.render).
        assertThat(problems).as(what).singleElement().satisfies(p -> assertThat(p.message()).contains(fullKey)
                .satisfies(m -> assertThat(shownForms(fullKey, value)).as(what + ": the value named in " + m)
                        .anySatisfy(shown -> assertThat(m).contains(shown))));
        // One line per problem, of a readable length, whatever the value held.
        assertThat(problems).as(what).allSatisfy(p -> assertThat(p.message())
                .doesNotContain("\n").doesNotContain("\u0000").hasSizeLessThan(4_000));
        return true;
    }

    /**
     * How a message may name a value: "got VALUE", or "KEY = VALUE" / "KEY (VALUE)" in a message about a
     * relation with another key, where VALUE is the whole value (as given, or trimmed, or the number or boolean
     * scalar keys read) or for a list the list or an item at fault, each as {@link ConfigProblem#render} cuts it.
     * A list too long for an IAM policy is named by its count ("2000 data buckets"): its size is the fault.
     */
    static List<String> shownForms(String fullKey, String value) {
        var values = new ArrayList<>(List.of(ConfigProblem.render(value), ConfigProblem.render(value.trim())));
        // A boolean key read as one: "KEY = true" in a message about its relation with another key.
        if (value.trim().equals("true") || value.trim().equals("false")) {
            values.add(ConfigProblem.render(Boolean.parseBoolean(value.trim())));
        }
        if (value.trim().matches("[+-]?[0-9]{1,10}")) {
            var number = Long.parseLong(value.trim());
            if (number == (int) number) {
                values.add(ConfigProblem.render((int) number));
            }
        }
        var counted = new ArrayList<String>();
        try {
            var json = com.google.gson.JsonParser.parseString(value);
            if (json.isJsonArray()) {
                var items = new ArrayList<String>();
                json.getAsJsonArray().forEach(e -> items.add(e.isJsonPrimitive() ? e.getAsString() : e.toString()));
                values.add(ConfigProblem.render(items));
                items.forEach(item -> values.add(ConfigProblem.render(item)));
                var noun = Map.of("dataBucketNames", " data buckets", "referenceBucketNames", " reference buckets",
                        "dataKmsKeyArns", " keys").get(fullKey.substring(fullKey.indexOf(':') + 1));
                if (noun != null) {
                    counted.add(" " + items.size() + noun);
                }
            }
        } catch (com.google.gson.JsonParseException notJson) {
            // a scalar: named whole
        }
        var forms = new ArrayList<>(counted);
        values.forEach(v -> forms.addAll(List.of("got " + v, fullKey + " = " + v, fullKey + " (" + v + ")")));
        return forms;
    }

    private static InvalidConfigException invalidConfig(Exception thrown, String what) {
        var causes = new ArrayList<Throwable>();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigException e) {
                return e;
            }
            causes.add(t);
        }
        throw new AssertionError(what + ": not a config error: " + causes, thrown);
    }

    /** The sweep is not vacuous: values AWS accepts are built, legacy bucket names among them. */
    @Test
    void theSweepBuildsWhatAwsAccepts() {
        for (var value : List.of("[\"Legacy_Bucket_2016\"]", "[\"Legacy_Bucket_2016\",\"acme-results\"]", "[]")) {
            check(ConfigKey.DATA_BUCKET_NAMES.fullKey(), value, ConfigSource.of(Map.of("dataBucketNames", value)), true);
        }
        check(ConfigKey.SPOT_MAX_VCPUS.fullKey(), "+5", ConfigSource.of(Map.of("spotMaxVcpus", "+5")), true);
        assertThat(built).containsExactlyInAnyOrder("[\"Legacy_Bucket_2016\"]", "[\"Legacy_Bucket_2016\",\"acme-results\"]",
                "[]", "+5");
    }
}
