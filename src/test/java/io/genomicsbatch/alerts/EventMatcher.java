package io.genomicsbatch.alerts;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * EventBridge's pattern matching and input transformation, for the subset the rules use: every leaf of a
 * pattern is an array of alternatives, each an exact value or {"prefix": s} or {"anything-but": [..]}; a field
 * an event lacks matches nothing; an event array matches if any of its items does (EventBridge user guide,
 * "Event patterns"). Anything else in a pattern is refused, so a rule cannot use more than this checks.
 */
final class EventMatcher {
    private EventMatcher() {
    }

    static JsonObject sample(String file) {
        try (var in = EventMatcher.class.getResourceAsStream("events/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample event " + file);
            }
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean matches(String patternJson, JsonObject event) {
        return matches(JsonParser.parseString(patternJson).getAsJsonObject(), event);
    }

    static boolean matches(JsonObject pattern, JsonObject event) {
        for (var field : pattern.entrySet()) {
            var value = event.get(field.getKey());
            var rule = field.getValue();
            if (rule.isJsonObject()) {
                if (value == null || !value.isJsonObject() || !matches(rule.getAsJsonObject(), value.getAsJsonObject())) {
                    return false;
                }
            } else if (rule.isJsonArray()) {
                if (value == null || !anyMatches(rule.getAsJsonArray(), value)) {
                    return false;
                }
            } else {
                throw new IllegalArgumentException("pattern field " + field.getKey() + ": a leaf must be an array");
            }
        }
        return true;
    }

    private static boolean anyMatches(JsonArray alternatives, JsonElement value) {
        var values = new ArrayList<JsonElement>();
        if (value.isJsonArray()) {
            value.getAsJsonArray().forEach(values::add);
        } else {
            values.add(value);
        }
        for (var v : values) {
            for (var alternative : alternatives) {
                if (alternativeMatches(alternative, v)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean alternativeMatches(JsonElement alternative, JsonElement value) {
        if (alternative.isJsonPrimitive() || alternative.isJsonNull()) {
            return alternative.equals(value);
        }
        var operator = alternative.getAsJsonObject();
        if (operator.size() != 1) {
            throw new IllegalArgumentException("unsupported pattern operator " + operator);
        }
        var entry = operator.entrySet().iterator().next();
        return switch (entry.getKey()) {
            case "prefix" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                    && value.getAsString().startsWith(entry.getValue().getAsString());
            case "anything-but" -> {
                var excluded = entry.getValue().isJsonArray() ? entry.getValue().getAsJsonArray().asList()
                        : List.of(entry.getValue());
                yield value.isJsonPrimitive() && excluded.stream().noneMatch(value::equals);
            }
            default -> throw new IllegalArgumentException("unsupported pattern operator " + entry.getKey());
        };
    }

    private static final Pattern PATH = Pattern.compile("\\$(\\.[A-Za-z0-9_-]+)+");
    private static final Pattern VARIABLE = Pattern.compile("<([A-Za-z0-9_.-]+)>");

    /** The value at a JSONPath of the form EventBridge input paths take here ($.a.b-c), or null. */
    static JsonElement at(JsonObject event, String path) {
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("unsupported input path " + path);
        }
        JsonElement current = event;
        for (var part : path.substring(2).split("\\.")) {
            if (current == null || !current.isJsonObject()) {
                return null;
            }
            current = current.getAsJsonObject().get(part);
        }
        return current;
    }

    /**
     * The message an input transformer makes of an event: each &lt;variable&gt; replaced by its path's value
     * (inside a JSON string, as text with JSON escaping, as EventBridge does); the template must be a JSON
     * string, which SNS then delivers as plain text.
     */
    static String render(Map<String, String> inputPaths, String template, JsonObject event) {
        var variables = VARIABLE.matcher(template);
        var out = new StringBuilder();
        while (variables.find()) {
            var name = variables.group(1);
            if (!inputPaths.containsKey(name)) {
                throw new IllegalArgumentException("template variable <" + name + "> has no input path");
            }
            var value = at(event, inputPaths.get(name));
            var text = value == null || value.isJsonNull() ? ""
                    : value.isJsonPrimitive() ? value.getAsString() : value.toString();
            var escaped = new JsonPrimitive(text).toString();
            variables.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    escaped.substring(1, escaped.length() - 1)));
        }
        variables.appendTail(out);
        return JsonParser.parseString(out.toString()).getAsString();
    }

    /** A copy of an event with one field (a dotted path) set. */
    static JsonObject with(JsonObject event, String path, Object value) {
        var copy = event.deepCopy();
        var parts = path.split("\\.");
        var node = copy;
        for (var i = 0; i < parts.length - 1; i++) {
            node = node.getAsJsonObject(parts[i]);
        }
        node.add(parts[parts.length - 1], value instanceof JsonElement e ? e : new JsonPrimitive(value.toString()));
        return copy;
    }
}
