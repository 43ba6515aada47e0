package io.genomicsbatch.config;

import com.google.gson.JsonParser;
import com.pulumi.Config;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Config as the Pulumi engine passes it to the running program. Values come through the SDK's
 * {@link Config}; the set of keys (for typo detection) and {@code aws:region} (another namespace)
 * come from {@code PULUMI_CONFIG}, the JSON object the language host hands every program, because
 * the SDK offers no way to list keys.
 */
public final class PulumiConfigSource implements ConfigSource {

    private final Config config;
    private final Set<String> keys;
    private final Set<String> misplaced;
    private final Optional<String> awsRegion;

    public PulumiConfigSource(Config config, String pulumiConfigJson) {
        this.config = config;
        var fullKeys = fullKeys(pulumiConfigJson);
        this.keys = namespaceKeys(fullKeys);
        this.misplaced = fullKeys.stream().filter(ConfigSource::isMisplaced)
                .collect(Collectors.toCollection(TreeSet::new));
        this.awsRegion = value(pulumiConfigJson, "aws:region");
    }

    @Override
    public Optional<String> awsRegion() {
        return awsRegion;
    }

    @Override
    public Set<String> misplacedKeys() {
        return misplaced;
    }

    @Override
    public Optional<String> get(String key) {
        return config.get(key);
    }

    @Override
    public Set<String> keys() {
        return keys;
    }

    /** The full keys ("namespace:key") of {@code PULUMI_CONFIG}; none when it is unset. */
    static Set<String> fullKeys(String pulumiConfigJson) {
        if (pulumiConfigJson == null || pulumiConfigJson.isBlank()) {
            return Set.of();
        }
        return JsonParser.parseString(pulumiConfigJson).getAsJsonObject().keySet();
    }

    /** One value of {@code PULUMI_CONFIG} (every value there is a string). */
    static Optional<String> value(String pulumiConfigJson, String fullKey) {
        if (pulumiConfigJson == null || pulumiConfigJson.isBlank()) {
            return Optional.empty();
        }
        var value = JsonParser.parseString(pulumiConfigJson).getAsJsonObject().get(fullKey);
        return value == null || !value.isJsonPrimitive() ? Optional.empty() : Optional.of(value.getAsString());
    }

    static Set<String> namespaceKeys(Set<String> fullKeys) {
        return fullKeys.stream().flatMap(k -> ConfigSource.ownKey(k).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
