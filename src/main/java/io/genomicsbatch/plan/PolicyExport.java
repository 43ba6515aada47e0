package io.genomicsbatch.plan;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.genomicsbatch.iam.BroughtRole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code genomics-batch policies}: what each brought role needs (the plan's {@value BroughtRole#OUTPUT}
 * output), as JSON for the account team, or as one IAM document per file.
 */
final class PolicyExport {
    private PolicyExport() {
    }

    private static final com.google.gson.Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .create();

    /** role -> {arn, trustPolicy, managedPolicyArns, inlinePolicies}, documents as JSON; empty without brought roles. */
    static Optional<JsonObject> of(Plan plan) {
        if (!(plan.outputs().get(BroughtRole.OUTPUT) instanceof Map<?, ?> roles)) {
            return Optional.empty();
        }
        var export = new JsonObject();
        roles.forEach((key, value) -> {
            var role = (Map<?, ?>) value;
            var entry = new JsonObject();
            entry.addProperty("arn", String.valueOf(role.get("arn")));
            entry.add("trustPolicy", JsonParser.parseString(String.valueOf(role.get("trustPolicy"))));
            var managed = new JsonArray();
            ((List<?>) role.get("managedPolicyArns")).forEach(arn -> managed.add(String.valueOf(arn)));
            entry.add("managedPolicyArns", managed);
            var inline = new JsonObject();
            ((Map<?, ?>) role.get("inlinePolicies")).forEach((name, document) -> inline.add(String.valueOf(name),
                    JsonParser.parseString(String.valueOf(document))));
            entry.add("inlinePolicies", inline);
            export.add(String.valueOf(key), entry);
        });
        return Optional.of(export);
    }

    static String json(JsonElement element) {
        return GSON.toJson(element) + "\n";
    }

    /**
     * {@code DIR/policies.json} (all of it), and per role {@code DIR/ROLE/trust-policy.json}, one
     * {@code DIR/ROLE/NAME.json} per inline policy and {@code DIR/ROLE/managed-policy-arns.txt}, each a
     * document IAM takes as it is ({@code aws iam put-role-policy --policy-document file://...}).
     *
     * @return the files written, in order
     */
    static List<Path> write(JsonObject export, Path dir) throws IOException {
        var written = new ArrayList<Path>();
        Files.createDirectories(dir);
        written.add(write(dir.resolve("policies.json"), json(export)));
        for (var role : export.entrySet()) {
            var entry = role.getValue().getAsJsonObject();
            var roleDir = Files.createDirectories(dir.resolve(role.getKey()));
            written.add(write(roleDir.resolve("trust-policy.json"), json(entry.get("trustPolicy"))));
            for (var inline : entry.getAsJsonObject("inlinePolicies").entrySet()) {
                written.add(write(roleDir.resolve(inline.getKey() + ".json"), json(inline.getValue())));
            }
            var managed = new StringBuilder();
            entry.getAsJsonArray("managedPolicyArns").forEach(arn -> managed.append(arn.getAsString()).append('\n'));
            written.add(write(roleDir.resolve("managed-policy-arns.txt"), managed.toString()));
        }
        return written;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
