package io.genomicsbatch.config;

import java.util.List;

/**
 * One thing wrong with the config: which keys it concerns and a message that names the full key,
 * the bad value and what is allowed.
 */
public record ConfigProblem(List<ConfigKey> keys, String message) {
    public ConfigProblem {
        keys = List.copyOf(keys);
    }

    /** A problem with one key's value: "{@code genomics-batch:key: got VALUE; ALLOWED}". */
    static ConfigProblem of(ConfigKey key, Object value, String allowed) {
        return new ConfigProblem(List.of(key), key.fullKey() + ": got " + render(value) + "; " + allowed);
    }

    static String render(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigProblem::render).toList().toString();
        }
        return String.valueOf(value);
    }
}
