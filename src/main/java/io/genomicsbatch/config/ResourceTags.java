package io.genomicsbatch.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The tags on this environment's resources: the program's own keys and the stack's {@code tags}, with
 * the rules AWS applies to tags on the resources tagged here (EC2, IAM, Batch, CloudWatch Logs; the
 * strictest wins).
 */
public final class ResourceTags {
    private ResourceTags() {
    }

    public static final String PROJECT = "Project";
    public static final String ENVIRONMENT = "Environment";
    public static final String MANAGED_BY = "ManagedBy";
    /** On instances and volumes only: the tag storage growth's IAM is scoped by. */
    public static final String ENVIRONMENT_TAG = "genomics-batch-environment";
    /**
     * On a group's compute environment, queue, launch template, and through the template on its instances,
     * volumes (grown ones too) and network interfaces: its value is the group's name. Set only with groups.
     */
    public static final String GROUP_TAG = "genomics-batch-group";
    /** Keys the program sets itself; a stack cannot set them (they name the stack and scope IAM). */
    public static final List<String> OWN_KEYS = List.of(PROJECT, ENVIRONMENT, MANAGED_BY, ENVIRONMENT_TAG);
    /**
     * Job tags the engine configs add per run (EngineConfigs.RUN_LABEL, SESSION_LABEL): a stack cannot set
     * them either. Jobs carry the stack's tags and these two, within AWS Batch's 50.
     */
    public static final List<String> RUN_KEYS = List.of(io.genomicsbatch.engines.EngineConfigs.RUN_LABEL,
            io.genomicsbatch.engines.EngineConfigs.SESSION_LABEL);

    /** EC2, IAM, Batch and CloudWatch Logs: at most 50 user tags per resource (aws: tags do not count). */
    public static final int MAX_TAGS_PER_RESOURCE = 50;
    /** What the stack may add: instances and volumes carry all of {@link #OWN_KEYS} besides. */
    public static final int MAX_STACK_TAGS = MAX_TAGS_PER_RESOURCE - OWN_KEYS.size();
    public static final int MAX_KEY_LENGTH = 128;
    public static final int MAX_VALUE_LENGTH = 256;
    /**
     * IAM's and CloudWatch Logs' tag pattern ({@code [\p{L}\p{Z}\p{N}_.:/=+\-@]}), the strictest of the
     * services tagged here: EC2 and Batch take any Unicode character, so this is the rule a key must
     * meet to be put on every resource.
     */
    static final Pattern CHARACTERS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    static final String CHARACTERS_ALLOWED = "Unicode letters, digits, spaces and _ . : / = + - @";

    /** The program's own tags on every resource (not the environment tag, which instances and volumes add). */
    public static Map<String, String> own(String stack) {
        var tags = new LinkedHashMap<String, String>();
        tags.put(PROJECT, ConfigKey.NAMESPACE);
        tags.put(ENVIRONMENT, stack.toLowerCase(Locale.ROOT));
        tags.put(MANAGED_BY, "pulumi");
        return tags;
    }

    /**
     * The column a tag key becomes in AWS's cost reports. Seqera's documentation of resource labels
     * ("Resource labels" troubleshooting, docs.seqera.io: "AWS Cost and Usage Reports (version 2)
     * normalize tag characters: colons are rewritten as underscores, and mixed- or upper-case
     * characters are lowercased and separated with underscores, costCenter becomes cost_center"), and
     * the legacy report's Athena columns ({@code user:CostCenter} is {@code resource_tags_user_cost_center};
     * Athena takes letters, digits and '_' only) agree on: camel case split with '_', lower case, any
     * other character '_'. AWS publishes no rule of its own; this is that reading.
     */
    static String costReportKey(String key) {
        var split = CAMEL_CASE.matcher(key).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
        return NOT_ALPHANUMERIC.matcher(split).replaceAll("_");
    }

    private static final Pattern CAMEL_CASE = Pattern.compile("([\\p{Ll}\\p{N}])(\\p{Lu})");
    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^\\p{L}\\p{N}]");

    /**
     * Whether two keys cannot both be used: one column in the cost reports, or keys that differ only in
     * case (IAM treats tag keys case-insensitively, so a role cannot carry both).
     */
    static boolean collide(String a, String b) {
        return costReportKey(a).equals(costReportKey(b)) || a.equalsIgnoreCase(b);
    }

    /** Why a stack tag's key cannot be used, if it cannot. */
    static Optional<String> keyProblem(String key) {
        var length = key.codePointCount(0, key.length());
        if (length < 1 || length > MAX_KEY_LENGTH) {
            return Optional.of("a key is 1-" + MAX_KEY_LENGTH + " characters, this one " + length);
        }
        if (!CHARACTERS.matcher(key).matches()) {
            return Optional.of("a key has " + CHARACTERS_ALLOWED + " only (IAM's and CloudWatch Logs' rule)");
        }
        if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
            return Optional.of("the aws: prefix is reserved for AWS's own tags");
        }
        for (var own : OWN_KEYS) {
            if (collide(own, key)) {
                return Optional.of((own.equals(key) ? own : "it collides with " + own + ", which")
                        + " is set by genomics-batch itself on every " + (own.equals(ENVIRONMENT_TAG)
                        ? "instance and volume (storage growth's IAM is scoped by it)" : "resource")
                        + "; choose another key");
            }
        }
        for (var run : RUN_KEYS) {
            if (collide(run, key)) {
                return Optional.of((run.equals(key) ? run : "it collides with " + run + ", which")
                        + " is the job tag the engine configs give each workflow run; choose another key");
            }
        }
        return Optional.empty();
    }

    /** Why a stack tag's value cannot be used, if it cannot. */
    static Optional<String> valueProblem(String value) {
        var length = value.codePointCount(0, value.length());
        if (length > MAX_VALUE_LENGTH) {
            return Optional.of("a value is 0-" + MAX_VALUE_LENGTH + " characters, this one " + length);
        }
        if (!CHARACTERS.matcher(value).matches()) {
            return Optional.of("a value has " + CHARACTERS_ALLOWED + " only (IAM's and CloudWatch Logs' rule)");
        }
        return Optional.empty();
    }

    /** Groups of two or more keys that cannot be used together ({@link #collide}), in the order given. */
    static List<List<String>> collisions(List<String> keys) {
        var groups = new ArrayList<List<String>>();
        var placed = new java.util.HashSet<String>();
        for (var i = 0; i < keys.size(); i++) {
            if (placed.contains(keys.get(i))) {
                continue;
            }
            var group = new ArrayList<>(List.of(keys.get(i)));
            for (var j = i + 1; j < keys.size(); j++) {
                if (!placed.contains(keys.get(j)) && collide(keys.get(i), keys.get(j))) {
                    group.add(keys.get(j));
                    placed.add(keys.get(j));
                }
            }
            if (group.size() > 1) {
                groups.add(group);
            }
        }
        return groups;
    }
}
