package io.genomicsbatch.config;

import com.google.gson.Gson;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A stack's config read from disk the way the Pulumi CLI assembles it: the project's declared
 * defaults and values from Pulumi.yaml, overridden by Pulumi.&lt;stack&gt;.yaml, with values passed
 * to the program as strings (lists and maps as JSON).
 */
public record StackFiles(String stack, Map<String, String> values) {

    /** Raised for a missing stack file or a file that is not valid YAML of the expected shape. */
    public static final class StackFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StackFileException(String message) {
            super(message);
        }
    }

    private static final Gson GSON = new Gson();

    public StackFiles {
        values = Map.copyOf(values);
    }

    /** The namespaced values of one stack: "genomics-batch:spotMaxVcpus" -> "256", "aws:region" -> ... */
    public static StackFiles load(Path projectDir, String stack) {
        var stackFile = projectDir.resolve("Pulumi." + stack + ".yaml");
        if (!Files.isRegularFile(stackFile)) {
            throw new StackFileException("unknown stack \"" + stack + "\": no " + stackFile + "; stacks here: "
                    + String.join(", ", stacks(projectDir)));
        }
        var merged = new TreeMap<String, String>();
        var projectConfig = section(projectDir.resolve("Pulumi.yaml"));
        projectConfig.forEach((key, declaration) -> {
            var fullKey = qualified(key.toString());
            if (declaration instanceof Map<?, ?> d && d.containsKey("type")) {
                if (d.containsKey("default")) {
                    merged.put(fullKey, raw(d.get("default")));
                }
            } else if (declaration instanceof Map<?, ?> d && d.containsKey("value")) {
                merged.put(fullKey, raw(d.get("value")));
            } else {
                merged.put(fullKey, raw(declaration));
            }
        });
        section(stackFile).forEach((key, value) -> merged.put(qualified(key.toString()), raw(value)));
        return new StackFiles(stack, merged);
    }

    /** The values of the project's own namespace, keyed by bare key. */
    public ConfigSource source() {
        var prefix = ConfigKey.NAMESPACE + ":";
        var own = new TreeMap<String, String>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                own.put(k.substring(prefix.length()), v);
            }
        });
        return ConfigSource.of(own);
    }

    public Optional<String> region() {
        return Optional.ofNullable(values.get("aws:region"));
    }

    /** Stack names with a Pulumi.&lt;stack&gt;.yaml in the project directory. */
    public static List<String> stacks(Path projectDir) {
        try (Stream<Path> files = Files.list(projectDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("Pulumi.") && n.endsWith(".yaml") && !n.equals("Pulumi.yaml"))
                    .map(n -> n.substring("Pulumi.".length(), n.length() - ".yaml".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String qualified(String key) {
        return key.contains(":") ? key : ConfigKey.NAMESPACE + ":" + key;
    }

    private static Map<?, ?> section(Path file) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new StackFileException("cannot read " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new StackFileException(file + " is not valid YAML: " + e.getMessage());
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw new StackFileException(file + ": expected a YAML mapping at the top level");
        }
        var config = top.get("config");
        if (config == null) {
            return Map.of();
        }
        if (!(config instanceof Map<?, ?> map)) {
            throw new StackFileException(file + ": expected `config:` to be a mapping of keys to values");
        }
        return map;
    }

    /** A YAML value as the CLI hands it to a program: scalars as text, lists and maps as JSON. */
    private static String raw(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            return GSON.toJson(value);
        }
        return value.toString();
    }
}
