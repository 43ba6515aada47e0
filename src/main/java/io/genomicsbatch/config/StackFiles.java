package io.genomicsbatch.config;

import com.google.gson.Gson;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A stack's config read from disk the way the Pulumi CLI assembles it: the project's declared
 * defaults and values from Pulumi.yaml, overridden by Pulumi.&lt;stack&gt;.yaml, with values passed
 * to the program as strings (lists and maps as JSON).
 */
public record StackFiles(String stack, Map<String, String> values, Set<String> misplacedKeys,
                         List<String> warnings) {

    /** What went wrong, which decides the plan's exit status. */
    public enum Problem {
        /** The command points at no project or stack here (a wrong --dir or --stack): a usage error. */
        NOT_FOUND,
        /** A file is there but wrong: unreadable, not YAML, the wrong shape, or a name Pulumi does not read. */
        INVALID
    }

    /** Raised for a missing stack file or a file that is not valid YAML of the expected shape. */
    public static final class StackFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final Problem problem;

        StackFileException(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private static final Gson GSON = new Gson();

    /** Top-level keys of a stack file the Pulumi CLI knows; anything else is a mistake. */
    static final Set<String> STACK_FILE_KEYS = Set.of(
            "config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment");

    public StackFiles {
        values = Map.copyOf(values);
        misplacedKeys = Set.copyOf(misplacedKeys);
        warnings = List.copyOf(warnings);
    }

    /** The namespaced values of one stack: "genomics-batch:spotMaxVcpus" -> "256", "aws:region" -> ... */
    public static StackFiles load(Path projectDir, String stack) {
        var projectFile = shown(projectDir.resolve("Pulumi.yaml"));
        if (!Files.isRegularFile(projectFile)) {
            throw new StackFileException(Problem.NOT_FOUND, "no Pulumi.yaml in " + shownDir(projectDir)
                    + ": run from the genomics-batch project directory or pass --dir");
        }
        var project = document(projectFile);
        var projectName = project.get("name");
        if (!ConfigKey.NAMESPACE.equals(projectName)) {
            throw new StackFileException(Problem.NOT_FOUND, projectFile + (projectName == null ? " names no project"
                    : " is the project \"" + projectName + "\"") + ", not " + ConfigKey.NAMESPACE
                    + ": pass --dir with the genomics-batch project directory");
        }
        var stackFile = shown(projectDir.resolve(fileName(stack)));
        var misnamed = shown(projectDir.resolve(misnamedFileName(stack)));
        var warnings = new ArrayList<String>();
        if (!Files.isRegularFile(stackFile)) {
            if (Files.isRegularFile(misnamed)) {
                throw new StackFileException(Problem.INVALID, misnamed + " is not read by Pulumi: with the project file"
                        + " Pulumi.yaml, Pulumi reads stack " + stack + "'s config from " + fileName(stack)
                        + " only; rename it: mv " + misnamed + " " + stackFile);
            }
            var stacks = stacks(projectDir);
            var ignored = misnamedStackFiles(projectDir);
            throw new StackFileException(Problem.NOT_FOUND, "unknown stack \"" + stack + "\": no " + fileName(stack)
                    + " in " + shownDir(projectDir) + "; " + (stacks.isEmpty() ? "no stack files here"
                    : "stacks here: " + String.join(", ", stacks))
                    + (ignored.isEmpty() ? "" : "; not read by Pulumi (rename to .yaml): " + String.join(", ", ignored)));
        }
        if (Files.isRegularFile(misnamed)) {
            warnings.add(misnamed.getFileName() + " is ignored: Pulumi reads stack " + stack + "'s config from "
                    + stackFile.getFileName() + " only");
        }
        var merged = new TreeMap<String, String>();
        config(projectFile, project).forEach((key, declaration) -> {
            var fullKey = key.toString().contains(":") ? key.toString() : ConfigKey.NAMESPACE + ":" + key;
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
        var stackDocument = document(stackFile);
        var unknown = new TreeSet<String>();
        stackDocument.keySet().forEach(k -> {
            if (!STACK_FILE_KEYS.contains(k.toString())) {
                unknown.add(k.toString());
            }
        });
        if (!unknown.isEmpty()) {
            throw new StackFileException(Problem.INVALID, stackFile + ": unknown top-level " + (unknown.size() == 1 ? "key " : "keys ")
                    + String.join(", ", unknown) + "; a stack file holds " + String.join(", ", new TreeSet<>(STACK_FILE_KEYS))
                    + (unknown.stream().anyMatch(k -> k.contains(":")) ? ", and config values go under `config:`" : ""));
        }
        if (!stackDocument.containsKey("config")) {
            warnings.add(stackFile.getFileName() + " has no `config:` block: the stack gets Pulumi.yaml's defaults"
                    + " and no aws:region");
        }
        var misplaced = new TreeSet<String>();
        var bare = new TreeSet<String>();
        config(stackFile, stackDocument).forEach((k, value) -> {
            var key = k.toString();
            if (!key.contains(":")) {
                bare.add(key);
                return;
            }
            if (ConfigSource.isMisplaced(key)) {
                misplaced.add(key);
            }
            merged.put(key, raw(value));
        });
        if (!bare.isEmpty()) {
            throw new StackFileException(Problem.INVALID, stackFile + ": config " + (bare.size() == 1 ? "key " : "keys ")
                    + String.join(", ", bare) + " without a namespace; the Pulumi CLI refuses bare keys in a stack"
                    + " file: write " + bare.stream().map(b -> ConfigKey.NAMESPACE + ":" + b)
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        if (!merged.containsKey("aws:region") && stackDocument.containsKey("config")) {
            warnings.add("aws:region is not set in " + stackFile.getFileName() + ": `pulumi up` would use the"
                    + " region of the AWS environment (AWS_REGION or the profile); set it with"
                    + " `pulumi config set aws:region <region> --stack " + stack + "`");
        }
        return new StackFiles(stack, merged, misplaced, warnings);
    }

    /** The values of the project's own namespace, keyed by bare key. */
    public ConfigSource source() {
        var own = new TreeMap<String, String>();
        values.forEach((k, v) -> ConfigSource.ownKey(k).ifPresent(bare -> own.put(bare, v)));
        return ConfigSource.of(own, misplacedKeys, region());
    }

    public Optional<String> region() {
        return Optional.ofNullable(values.get("aws:region"));
    }

    /** A stack's file: Pulumi.&lt;stack&gt;.yaml, the extension of the project file (Pulumi.yaml). */
    public static String fileName(String stack) {
        return "Pulumi." + stack + ".yaml";
    }

    /** The name a stack file may wrongly have: Pulumi reads stack files with the project file's extension only. */
    static String misnamedFileName(String stack) {
        return "Pulumi." + stack + ".yml";
    }

    /** Stack names with a Pulumi.&lt;stack&gt;.yaml in the project directory. */
    public static List<String> stacks(Path projectDir) {
        return names(projectDir, ".yaml").stream()
                .map(n -> n.substring("Pulumi.".length(), n.length() - ".yaml".length()))
                .toList();
    }

    /** Pulumi.&lt;stack&gt;.yml files in the project directory, which Pulumi does not read. */
    public static List<String> misnamedStackFiles(Path projectDir) {
        return names(projectDir, ".yml");
    }

    private static List<String> names(Path projectDir, String extension) {
        try (Stream<Path> files = Files.list(projectDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("Pulumi.") && n.endsWith(extension)
                            && n.length() > "Pulumi.".length() + extension.length())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file as messages name it: "Pulumi.dev.yaml" in the current directory, else with its directory. */
    private static Path shown(Path file) {
        return file.normalize();
    }

    private static String shownDir(Path dir) {
        return dir.normalize().toString().isEmpty() ? "the current directory" : dir.toString();
    }

    private static Map<?, ?> document(Path file) {
        Object document;
        try {
            var options = new LoaderOptions();
            // The Pulumi CLI reads these files with gopkg.in/yaml.v3, which refuses a key repeated in one
            // mapping ("mapping key ... already defined"); SnakeYAML would keep the last one silently.
            options.setAllowDuplicateKeys(false);
            var text = Files.readString(file);
            var yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
                    new DumperOptions(), options, new CoreSchemaResolver());
            repeatedKey(yaml.compose(new java.io.StringReader(text)), "").ifPresent(repeated -> {
                throw new StackFileException(Problem.INVALID, file + ": " + repeated
                        + "; the Pulumi CLI refuses a file with a key given twice: keep one");
            });
            document = yaml.load(text);
        } catch (StackFileException e) {
            throw e;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new StackFileException(Problem.INVALID, file + " is not valid YAML: not UTF-8 text");
        } catch (IOException e) {
            throw new StackFileException(Problem.INVALID, "cannot read " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new StackFileException(Problem.INVALID, file + " is not valid YAML: " + e.getMessage());
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw new StackFileException(Problem.INVALID, file + ": expected a YAML mapping at the top level");
        }
        return top;
    }

    /** The first key given twice in one mapping, with both lines, e.g. {@code key "x" in config: lines 3 and 7}. */
    private static Optional<String> repeatedKey(Node node, String path) {
        if (node instanceof MappingNode mapping) {
            var seen = new java.util.HashMap<String, Integer>();
            for (var tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    var line = key.getStartMark().getLine() + 1;
                    var first = seen.putIfAbsent(key.getValue(), line);
                    if (first != null) {
                        return Optional.of("key \"" + key.getValue() + "\"" + (path.isEmpty() ? " at the top level"
                                : " in " + path) + " appears twice (lines " + first + " and " + line + ")");
                    }
                }
                var inner = repeatedKey(tuple.getValueNode(), (path.isEmpty() ? "" : path + ".")
                        + (tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?"));
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            for (var item : sequence.getValue()) {
                var inner = repeatedKey(item, path + "[]");
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    private static Map<?, ?> config(Path file, Map<?, ?> document) {
        var config = document.get("config");
        if (config == null) {
            return Map.of();
        }
        if (!(config instanceof Map<?, ?> map)) {
            throw new StackFileException(Problem.INVALID, file + ": expected `config:` to be a mapping of keys to values");
        }
        return map;
    }

    /**
     * Scalars as the Pulumi CLI reads them (YAML 1.2's core schema): {@code yes}, {@code on} and
     * dates stay text, where SnakeYAML's YAML 1.1 rules would make them booleans and dates, so the
     * plan never accepts a value the deployment refuses.
     */
    private static final class CoreSchemaResolver extends Resolver {
        private static final Pattern CORE_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, CORE_BOOL, "tTfF");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
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
