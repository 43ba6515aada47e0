package io.genomicsbatch.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Raw stack config values of the {@value ConfigKey#NAMESPACE} namespace, as strings in the form
 * the Pulumi CLI hands a program (arrays as JSON). Reading config is kept apart from building
 * resources so that tests and the offline plan can feed real stack files.
 */
public interface ConfigSource {

    /** The raw value of a bare key, if the stack (or Pulumi.yaml) sets it. */
    Optional<String> get(String key);

    /** Every bare key set in the namespace, so that unknown keys (typos) can be reported. */
    Set<String> keys();

    /** A fixed set of raw values, keyed by bare key. */
    static ConfigSource of(Map<String, String> values) {
        var copy = new TreeMap<>(values);
        return new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(copy.get(key));
            }

            @Override
            public Set<String> keys() {
                return copy.keySet();
            }
        };
    }
}
