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

    /** Longer values are cut in messages: a message names the value, it need not repeat a whole file of it. */
    static final int MAX_SHOWN_CHARACTERS = 160;
    static final int MAX_SHOWN_ITEMS = 12;

    /**
     * A value as a message shows it: strings quoted, with control characters escaped (so a value cannot
     * start a line of its own in the message), long strings and lists cut with their length.
     */
    public static String render(Object value) {
        if (value instanceof String s) {
            var shown = s.length() > MAX_SHOWN_CHARACTERS ? s.substring(0, MAX_SHOWN_CHARACTERS) : s;
            var out = new StringBuilder("\"");
            shown.codePoints().forEach(c -> {
                if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.appendCodePoint(c);
                }
            });
            out.append('"');
            return s.length() > MAX_SHOWN_CHARACTERS ? out + "... (" + s.length() + " characters)" : out.toString();
        }
        if (value instanceof List<?> list) {
            var shown = list.stream().limit(MAX_SHOWN_ITEMS).map(ConfigProblem::render).toList().toString();
            return list.size() > MAX_SHOWN_ITEMS
                    ? shown.substring(0, shown.length() - 1) + ", ... (" + list.size() + " items)]" : shown;
        }
        return String.valueOf(value);
    }
}
