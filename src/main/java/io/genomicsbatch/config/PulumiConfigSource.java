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

    public PulumiConfigSource(Config config, String pulumiConfigJson) {
        this.config = config;
        this.keys = namespaceKeys(pulumiConfigJson);
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
