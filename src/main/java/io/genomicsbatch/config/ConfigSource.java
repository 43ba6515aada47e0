package io.genomicsbatch.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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

    /**
     * Full keys set under a near-miss of the namespace ({@code genomics_batch:spotMaxVcpus}): the
     * CLI accepts them, and the program would otherwise never see them.
     */
    default Set<String> misplacedKeys() {
        return Set.of();
    }

    /**
     * {@code aws:region}, when the stack sets it: the AWS provider's key, not this project's, read so
     * that a region typo is refused with the rest of the config (the provider skips region validation).
     */
    default Optional<String> awsRegion() {
        return Optional.empty();
    }

    /** A fixed set of raw values, keyed by bare key. */
    static ConfigSource of(Map<String, String> values) {
        return of(values, Set.of());
    }

    static ConfigSource of(Map<String, String> values, Set<String> misplacedKeys) {
        return of(values, misplacedKeys, Optional.empty());
    }

    static ConfigSource of(Map<String, String> values, Set<String> misplacedKeys, Optional<String> awsRegion) {
        var copy = new TreeMap<>(values);
        var misplaced = new TreeSet<>(misplacedKeys);
        return new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(copy.get(key));
            }

            @Override
            public Set<String> keys() {
                return copy.keySet();
            }

            @Override
            public Set<String> misplacedKeys() {
                return misplaced;
            }

            @Override
            public Optional<String> awsRegion() {
                return awsRegion;
            }
        };
    }

    /** The bare key of a full key in this project's namespace ("genomics-batch:spotMaxVcpus" -> "spotMaxVcpus"). */
    static Optional<String> ownKey(String fullKey) {
        var prefix = ConfigKey.NAMESPACE + ":";
        return fullKey.startsWith(prefix) ? Optional.of(fullKey.substring(prefix.length())) : Optional.empty();
    }

    /** Whether a full key sits under a near miss of this project's namespace ({@link #misplacedKeys}). */
    static boolean isMisplaced(String fullKey) {
        var colon = fullKey.indexOf(':');
        return colon > 0 && isNearMissNamespace(fullKey.substring(0, colon));
    }

    /**
     * Whether a config namespace looks like a misspelling of this project's ({@code genomics_batch},
     * {@code genomicsbatch}, {@code Genomics-Batch}, {@code genomics-bacth}).
     */
    static boolean isNearMissNamespace(String namespace) {
        if (namespace.equals(ConfigKey.NAMESPACE)) {
            return false;
        }
        var squashed = namespace.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        var own = ConfigKey.NAMESPACE.replaceAll("[^a-z0-9]", "");
        return squashed.equals(own) || ConfigReader.editDistance(squashed, own) <= 2;
    }
}
