package io.genomicsbatch.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import static io.genomicsbatch.config.ConfigKey.SHARED_FILE_SYSTEM;

/**
 * Reads {@code sharedFileSystem}, a YAML mapping of named fields ({@link Settings.SharedFileSystem}): each
 * field as its type (text or a whole number), unknown fields refused. What the values must be is
 * {@link SharedFileSystemRules}'.
 */
final class SharedFileSystemConfig {
    private SharedFileSystemConfig() {
    }

    /** The fields, in the order the docs list them. */
    static final List<String> FIELDS = List.of("type", "existingId", "mountPath", "storageCapacityGiB",
            "deploymentType", "perUnitStorageThroughput", "mountName", "dataRepositoryPath");
    private static final List<String> NUMBERS = List.of("storageCapacityGiB", "perUnitStorageThroughput");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    /** The settings read, or NONE with the problems that kept them from being read. */
    record Read(Settings.SharedFileSystem settings, List<ConfigProblem> problems) {
    }

    static Read read(String raw) {
        var problems = new ArrayList<ConfigProblem>();
        JsonObject object;
        try {
            var json = JsonParser.parseString(raw);
            if (!json.isJsonObject()) {
                return failed(raw, "expected a mapping of its fields " + FIELDS + ", e.g. `pulumi config set --path '"
                        + SHARED_FILE_SYSTEM.fullKey() + ".type' efs`, or {} for none");
            }
            object = json.getAsJsonObject();
        } catch (JsonParseException e) {
            return failed(raw, "expected a mapping of its fields " + FIELDS + ", or {} for none");
        }
        for (var field : object.keySet()) {
            if (!FIELDS.contains(field)) {
                problems.add(ConfigProblem.of(SHARED_FILE_SYSTEM, raw, "\"" + field + "\" is not one of its fields "
                        + FIELDS));
            }
        }
        for (var field : FIELDS) {
            var value = object.get(field);
            if (value == null) {
                continue;
            }
            var text = text(value);
            if (text.isEmpty()) {
                problems.add(field(field, value.toString(), NUMBERS.contains(field) ? "expected a whole number"
                        : "expected a text value"));
            } else if (NUMBERS.contains(field) && !wholeNumber(text.get())) {
                problems.add(field(field, text.get(), "expected a whole number"));
            }
        }
        var type = string(object, "type").map(t -> FileSystemType.byConfigName(t.trim()).orElseGet(() -> {
            problems.add(field("type", t, "expected one of " + Arrays.stream(FileSystemType.values())
                    .map(FileSystemType::configName).toList()));
            return null;
        }));
        var deployment = string(object, "deploymentType").map(d -> {
            try {
                return LustreDeploymentType.valueOf(d.trim());
            } catch (IllegalArgumentException e) {
                problems.add(field("deploymentType", d, "expected one of "
                        + Arrays.toString(LustreDeploymentType.values()) + " (SCRATCH_1 is not offered: it cannot "
                        + "take a data repository association and its storage cannot grow; use SCRATCH_2)"));
                return null;
            }
        });
        if (!problems.isEmpty()) {
            return new Read(Settings.SharedFileSystem.NONE, problems);
        }
        if (object.size() == 0) {
            return new Read(Settings.SharedFileSystem.NONE, List.of());
        }
        if (type.isEmpty()) {
            return failed(raw, "expected a type: " + Arrays.stream(FileSystemType.values())
                    .map(FileSystemType::configName).toList() + " (or {} for no shared file system)");
        }
        return new Read(new Settings.SharedFileSystem(type, string(object, "existingId").map(String::trim),
                string(object, "mountPath").orElse(Settings.SharedFileSystem.DEFAULT_MOUNT_PATH),
                number(object, "storageCapacityGiB"), deployment, number(object, "perUnitStorageThroughput"),
                string(object, "mountName").map(String::trim), string(object, "dataRepositoryPath").map(String::trim)),
                List.of());
    }

    /** A problem with one field, naming it as {@code genomics-batch:sharedFileSystem.FIELD}. */
    static ConfigProblem field(String field, Object value, String allowed) {
        return new ConfigProblem(List.of(SHARED_FILE_SYSTEM), SHARED_FILE_SYSTEM.fullKey() + "." + field + ": got "
                + ConfigProblem.render(value) + "; " + allowed);
    }

    private static Read failed(String raw, String allowed) {
        return new Read(Settings.SharedFileSystem.NONE, List.of(ConfigProblem.of(SHARED_FILE_SYSTEM, raw, allowed)));
    }

    /** A scalar as text (the CLI may hand numbers as strings and strings as numbers); empty for anything else. */
    private static Optional<String> text(JsonElement value) {
        return value.isJsonPrimitive() && !value.getAsJsonPrimitive().isBoolean()
                ? Optional.of(value.getAsJsonPrimitive().getAsString()) : Optional.empty();
    }

    private static Optional<String> string(JsonObject object, String field) {
        return Optional.ofNullable(object.get(field)).flatMap(SharedFileSystemConfig::text);
    }

    private static boolean wholeNumber(String text) {
        if (!INTEGER.matcher(text.trim()).matches()) {
            return false;
        }
        try {
            Integer.parseInt(text.trim());
            return true;
        } catch (NumberFormatException tooLarge) {
            return false;
        }
    }

    /** A field {@link #read} found to be a whole number. */
    private static OptionalInt number(JsonObject object, String field) {
        return string(object, field).map(t -> OptionalInt.of(Integer.parseInt(t.trim()))).orElse(OptionalInt.empty());
    }
}
