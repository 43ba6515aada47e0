package io.genomicsbatch.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import static io.genomicsbatch.config.ConfigKey.*;

/**
 * Reads the raw stack config into typed {@link Settings.Environment}, checking every key of the
 * contract. All problems are collected so that a user sees them at once.
 */
public final class ConfigReader {

    /** What reading produced: settings are meaningful only when {@code problems} is empty. */
    public record Result(Settings.Environment settings, List<ConfigProblem> problems, List<String> warnings) {
        public boolean valid() {
            return problems.isEmpty();
        }

        /** The settings, or an {@link InvalidConfigException} listing every problem. */
        public Settings.Environment orThrow() {
            if (!valid()) {
                throw new InvalidConfigException(problems);
            }
            return settings;
        }
    }

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private final ConfigSource source;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<ConfigKey> unreadable = EnumSet.noneOf(ConfigKey.class);

    private ConfigReader(ConfigSource source) {
        this.source = source;
    }

    public static Result read(ConfigSource source) {
        return new ConfigReader(source).read();
    }

    /** The settings a stack gets when it sets nothing (the Pulumi.yaml defaults). */
    public static Settings.Environment defaults() {
        return read(ConfigSource.of(java.util.Map.of())).orThrow();
    }

    private Result read() {
        unknownKeys();
        var vpcId = string(VPC_ID);
        var settings = new Settings.Environment(
                new Settings.Network(vpcId.isEmpty() ? Optional.empty() : Optional.of(vpcId), list(SUBNET_IDS)),
                list(INSTANCE_TYPES),
                new Settings.Capacity(CapacityType.SPOT, integer(SPOT_MIN_VCPUS), integer(SPOT_MAX_VCPUS),
                        strategy(SPOT_ALLOCATION_STRATEGY), OptionalInt.of(integer(SPOT_BID_PERCENTAGE))),
                new Settings.Capacity(CapacityType.ON_DEMAND, integer(ON_DEMAND_MIN_VCPUS),
                        integer(ON_DEMAND_MAX_VCPUS), strategy(ON_DEMAND_ALLOCATION_STRATEGY), OptionalInt.empty()),
                new Settings.Queues(integer(DEFAULT_QUEUE_PRIORITY), integer(HIGH_PRIORITY_QUEUE_PRIORITY),
                        bool(QUEUE_SPILLOVER), integer(RUNNABLE_TIMEOUT_MINUTES)),
                integer(SCRATCH_VOLUME_GIB),
                list(DATA_BUCKET_NAMES),
                bool(PROTECT));
        // A key that could not be read stands at its default; skip rules that would judge that default.
        SettingsValidator.problems(settings).stream()
                .filter(p -> p.keys().stream().noneMatch(unreadable::contains))
                .forEach(problems::add);
        var warnings = problems.isEmpty() ? SettingsValidator.warnings(settings) : List.<String>of();
        return new Result(settings, List.copyOf(problems), warnings);
    }

    private void unknownKeys() {
        for (var key : source.keys()) {
            if (ConfigKey.byKey(key).isEmpty()) {
                var suggestion = closestKey(key).map(k -> "did you mean " + k.fullKey() + "? ").orElse("");
                problems.add(new ConfigProblem(List.of(), NAMESPACE + ":" + key + ": unknown key; " + suggestion
                        + "known keys: " + Arrays.stream(values()).map(ConfigKey::key).toList()));
            }
        }
    }

    private String raw(ConfigKey key) {
        return source.get(key.key()).orElse(key.defaultValue());
    }

    private String string(ConfigKey key) {
        return raw(key);
    }

    private int integer(ConfigKey key) {
        var raw = raw(key).trim();
        if (INTEGER.matcher(raw).matches()) {
            try {
                return Integer.parseInt(raw);
            } catch (NumberFormatException tooLarge) {
                // falls through to the problem below
            }
        }
        return unreadable(key, raw, "expected a whole number (integer)", Integer.parseInt(key.defaultValue()));
    }

    private boolean bool(ConfigKey key) {
        var raw = raw(key).trim();
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.parseBoolean(raw);
        }
        return unreadable(key, raw, "expected true or false", Boolean.parseBoolean(key.defaultValue()));
    }

    private AllocationStrategy strategy(ConfigKey key) {
        var raw = raw(key).trim();
        try {
            return AllocationStrategy.valueOf(raw);
        } catch (IllegalArgumentException e) {
            return unreadable(key, raw, "expected one of " + Arrays.toString(AllocationStrategy.values()),
                    AllocationStrategy.valueOf(key.defaultValue()));
        }
    }

    private List<String> list(ConfigKey key) {
        var raw = raw(key);
        var expected = "expected a list of strings, e.g. `pulumi config set --path '" + key.fullKey()
                + "[0]' VALUE` or a YAML list in the stack file";
        JsonArray array;
        try {
            var json = JsonParser.parseString(raw);
            if (!json.isJsonArray()) {
                return unreadable(key, raw, expected, List.of());
            }
            array = json.getAsJsonArray();
        } catch (JsonParseException e) {
            return unreadable(key, raw, expected, List.of());
        }
        var values = new ArrayList<String>();
        for (var element : array) {
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                return unreadable(key, raw, expected + " (every item a string)", List.of());
            }
            values.add(element.getAsString());
        }
        return values;
    }

    private <T> T unreadable(ConfigKey key, String raw, String expected, T fallback) {
        unreadable.add(key);
        problems.add(ConfigProblem.of(key, raw, expected));
        return fallback;
    }

    /** The declared key nearest to a misspelt one (case or at most 3 edits away). */
    static Optional<ConfigKey> closestKey(String key) {
        ConfigKey best = null;
        var bestDistance = Integer.MAX_VALUE;
        for (var candidate : values()) {
            var d = editDistance(key.toLowerCase(java.util.Locale.ROOT),
                    candidate.key().toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= 3 ? Optional.of(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        var previous = new int[b.length() + 1];
        var current = new int[b.length() + 1];
        for (var j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (var i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (var j = 1; j <= b.length(); j++) {
                var cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            var swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
