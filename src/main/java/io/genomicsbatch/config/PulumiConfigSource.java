package io.genomicsbatch.config;

import com.google.gson.JsonParser;
import com.pulumi.Config;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Config as the Pulumi engine passes it to the running program. Values come through the SDK's
 * {@link Config}; the set of keys (for typo detection) comes from {@code PULUMI_CONFIG}, the JSON
 * object the language host hands every program, because the SDK offers no way to list keys.
 */
public final class PulumiConfigSource implements ConfigSource {

    private final Config config;
    private final Set<String> keys;
    private final Set<String> misplaced;

    public PulumiConfigSource(Config config, String pulumiConfigJson) {
        this.config = config;
        this.keys = namespaceKeys(pulumiConfigJson);
        this.misplaced = misplacedKeys(pulumiConfigJson);
    }

    @Override
    public Set<String> misplacedKeys() {
        return misplaced;
    }

    /** Full keys whose namespace is a near miss of this project's. */
    static Set<String> misplacedKeys(String pulumiConfigJson) {
        var keys = new TreeSet<String>();
        if (pulumiConfigJson == null || pulumiConfigJson.isBlank()) {
            return keys;
        }
        for (var fullKey : JsonParser.parseString(pulumiConfigJson).getAsJsonObject().keySet()) {
            var colon = fullKey.indexOf(':');
            if (colon > 0 && ConfigSource.isNearMissNamespace(fullKey.substring(0, colon))) {
                keys.add(fullKey);
            }
        }
        return keys;
    }

    @Override
    public Optional<String> get(String key) {
        return config.get(key);
    }

    @Override
    public Set<String> keys() {
        return keys;
    }

    static Set<String> namespaceKeys(String pulumiConfigJson) {
        var keys = new TreeSet<String>();
        if (pulumiConfigJson == null || pulumiConfigJson.isBlank()) {
            return keys;
        }
        var prefix = ConfigKey.NAMESPACE + ":";
        for (var fullKey : JsonParser.parseString(pulumiConfigJson).getAsJsonObject().keySet()) {
            if (fullKey.startsWith(prefix)) {
                keys.add(fullKey.substring(prefix.length()));
            }
        }
        return keys;
    }
}
