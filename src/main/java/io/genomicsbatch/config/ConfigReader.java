package io.genomicsbatch.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonParseException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.genomicsbatch.engines.SpotRetries;

import static io.genomicsbatch.config.ConfigKey.*;

/**
 * Reads the raw stack config into typed {@link Settings.Environment}: every key of the contract is
 * read as its declared type, unknown and misplaced keys are reported, and {@link Lineup} turns the
 * values into compute environment and queue specs. Rules across values are
 * {@link SettingsValidator}'s; when reading already failed, they are run here too (skipping keys
 * that could not be read), so that a user sees every problem at once.
 */
public final class ConfigReader implements Lineup.Values {

    /** What reading produced: settings are meaningful only when {@code problems} is empty. */
    public record Result(Settings.Environment settings, List<ConfigProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }

        /** The settings, or an {@link InvalidConfigException} listing every problem. */
        public Settings.Environment orThrow() {
            if (!valid()) {
                throw new InvalidConfigException(problems);
            }
            return settings;
        }

        /** The settings, or an {@link InvalidConfigException} that names {@code stack}'s file. */
        public Settings.Environment orThrow(String stack) {
            if (!valid()) {
                throw new InvalidConfigException(stack, problems);
            }
            return settings;
        }
    }

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private final ConfigSource source;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<ConfigKey> unreadable = EnumSet.noneOf(ConfigKey.class);

    private ConfigReader(ConfigSource source) {
        this.source = source;
    }

    public static Result read(ConfigSource source) {
        return new ConfigReader(source).read();
    }

    /** The settings a stack gets when it sets nothing (the Pulumi.yaml defaults). */
    public static Settings.Environment defaults() {
        return read(ConfigSource.of(java.util.Map.of())).orThrow();
    }

    private Result read() {
        unknownKeys();
        source.awsRegion().ifPresent(region -> AwsRegions.batchRegionProblem(region).ifPresent(why -> problems.add(
                new ConfigProblem(List.of(), "aws:region: got " + ConfigProblem.render(region) + "; " + why))));
        // Read every key once, so each type problem is reported once.
        for (var key : ConfigKey.values()) {
            switch (key.type()) {
                case INTEGER -> integer(key);
                case BOOLEAN -> bool(key);
                case ARRAY -> list(key);
                case STRATEGY -> strategy(key);
                case STRING -> raw(key);
                case OBJECT -> map(key);
                case INTEGER_ARRAY -> integers(key);
                case OBJECT_ARRAY -> {
                    if (key == GROUPS) {
                        groups(key);
                    } else {
                        registryCache(key);
                    }
                }
                case STRUCTURE -> structure(key);
                case RECORD -> {
                    // read below, by its own reader
                }
            }
        }
        var vpcId = raw(VPC_ID);
        var settings = new Settings.Environment(
                new Settings.Network(vpcId.isEmpty() ? Optional.empty() : Optional.of(vpcId), list(SUBNET_IDS),
                        list(SHARED_FILE_SYSTEM_SECURITY_GROUP_IDS), bool(ALLOW_ALL_EGRESS),
                        bool(S3_GATEWAY_ENDPOINT)),
                Lineup.computeEnvironments(this),
                Lineup.queues(this),
                integer(RUNNABLE_TIMEOUT_MINUTES),
                new Settings.Storage(integer(SCRATCH_VOLUME_GIB), integer(SCRATCH_VOLUME_IOPS),
                        integer(SCRATCH_VOLUME_THROUGHPUT), Settings.Storage.maxGiB(integer(SCRATCH_VOLUME_GIB),
                        integer(SCRATCH_MAX_GIB))),
                new Settings.Hosts(integer(HOST_BOOT_TIMEOUT_MINUTES), raw(AWS_CLI_VERSION).trim(),
                        raw(AWS_CLI_URL).trim()),
                new Settings.DataAccess(list(DATA_BUCKET_NAMES), list(REFERENCE_BUCKET_NAMES), list(DATA_KMS_KEY_ARNS),
                        workDirectory()),
                integer(LOG_RETENTION_DAYS),
                bool(PROTECT),
                map(TAGS),
                new Settings.Alerts(list(ALERT_EMAILS), optional(ALERT_TOPIC_ARN),
                        bool(BOOT_LOOP_STOP), integer(BOOT_LOOP_FAILURES)),
                new Settings.Budget(integer(MONTHLY_BUDGET_USD), integers(BUDGET_ALERT_PERCENTS),
                        integer(BUDGET_STOP_PERCENT), list(BUDGET_STOP_ROLE_NAMES)),
                new Settings.PrivateNetworking(bool(PRIVATE_NETWORKING)),
                new SpotRetries(integer(ENGINE_SPOT_ATTEMPTS), bool(NEXTFLOW_ON_DEMAND_FALLBACK)),
                registryCache(ECR_PULL_THROUGH_CACHE),
                new Settings.Amis(bool(AMI_PINNING), optional(AMI_ID), optional(AMI_SSM_PARAMETER),
                        optional(GPU_AMI_ID), optional(GPU_AMI_SSM_PARAMETER)),
                new Settings.Groups(groups(GROUPS)),
                new Settings.Iam(optional(IAM_PERMISSIONS_BOUNDARY_ARN), raw(IAM_ROLE_PATH).trim(),
                        optional(INSTANCE_PROFILE_ARN), optional(JOB_ROLE_ARN), optional(HEAD_JOB_ROLE_ARN)),
                fairShare(),

                sharedFileSystem());
        // EventBridge and CloudWatch publish to a topic of their own region only.
        settings.alerts().topicArn().filter(AwsFormats::isSnsTopicArn).ifPresent(arn -> source.awsRegion()
                .filter(region -> !region.equals(arn.split(":")[3]))
                .ifPresent(region -> problems.add(ConfigProblem.of(ALERT_TOPIC_ARN, arn, "a topic in the stack's "
                        + "region " + region + " (aws:region): EventBridge rules and CloudWatch alarms publish to "
                        + "a topic of their own region only"))));
        // ECR uses a credential secret of the rule's own account and region only.
        settings.registryCache().rules().stream().flatMap(r -> r.credentialArn().stream())
                .filter(AwsFormats::isSecretArn)
                .forEach(arn -> source.awsRegion().filter(region -> !region.equals(arn.split(":")[3]))
                        .ifPresent(region -> problems.add(ConfigProblem.of(ECR_PULL_THROUGH_CACHE, arn, "a secret in "
                                + "the stack's region " + region + " (aws:region): ECR reads a pull-through cache "
                                + "rule's credentials from its own account and region only"))));
        // IAM ARNs carry no region, but a partition: the stack's region's.
        source.awsRegion().flatMap(AwsRegions::region).ifPresent(region -> iamPartitions(settings.iam(),
                region.partition(), region.name()));
        if (problems.isEmpty() && SettingsValidator.problems(settings).isEmpty()) {
            budgetBelowIdleFloor(settings).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            // A key that could not be read stands at its default; skip rules that would judge that default.
            SettingsValidator.problems(settings).stream()
                    .filter(p -> p.keys().stream().noneMatch(unreadable::contains))
                    .forEach(problems::add);
        }
        return new Result(settings, List.copyOf(problems));
    }

    /**
     * A budget the stack exceeds by idling alone is refused. The floor needs the stack's region in the
     * price table; without it, the budget is not judged (docs/cost.md says so).
     */
    private Optional<ConfigProblem> budgetBelowIdleFloor(Settings.Environment settings) {
        var budget = settings.budget();
        if (!budget.enabled()) {
            return Optional.empty();
        }
        var prices = io.genomicsbatch.cost.PriceTable.shipped();
        var floor = io.genomicsbatch.cost.IdleFloor.usdPerMonth(settings, source.awsRegion(), prices);
        if (floor.isEmpty() || budget.monthlyUsd() >= floor.getAsDouble()) {
            return Optional.empty();
        }
        return Optional.of(ConfigProblem.of(MONTHLY_BUDGET_USD, budget.monthlyUsd(), String.format(
                java.util.Locale.ROOT, "expected at least %d: the idle floor, what this stack bills a month with no "
                        + "job running, is $%.2f in %s (price table of %s; `genomics-batch plan` itemizes it), "
                        + "so the budget would be exceeded by idling alone", (long) Math.ceil(floor.getAsDouble()),
                floor.getAsDouble(), source.awsRegion().orElseThrow(), prices.date())));
    }

    /** A well-formed IAM ARN of another partition than the stack's region's names nothing the stack can use. */
    private void iamPartitions(Settings.Iam iam, String partition, String region) {
        var arns = new java.util.LinkedHashMap<ConfigKey, Optional<String>>();
        arns.put(IAM_PERMISSIONS_BOUNDARY_ARN, iam.permissionsBoundaryArn());
        arns.put(INSTANCE_PROFILE_ARN, iam.instanceProfileArn());
        arns.put(JOB_ROLE_ARN, iam.jobRoleArn());
        arns.put(HEAD_JOB_ROLE_ARN, iam.headJobRoleArn());
        arns.forEach((key, arn) -> arn.flatMap(AwsFormats::iamArnPartition)
                .filter(p -> !p.equals(partition))
                .ifPresent(p -> problems.add(ConfigProblem.of(key, arn.get(), "an ARN of partition " + partition
                        + ", the partition of the stack's region " + region + " (aws:region): arn:" + partition
                        + ":iam::..."))));
    }

    /** The account the brought roles are in, when the config brings one (the plan answers its account ID with it). */
    public static Optional<String> broughtRoleAccount(ConfigSource source) {
        return java.util.stream.Stream.of(INSTANCE_PROFILE_ARN, JOB_ROLE_ARN, HEAD_JOB_ROLE_ARN)
                .map(k -> source.get(k.key()).orElse("").trim())
                .flatMap(arn -> AwsFormats.iamArnAccount(arn).stream())
                .findFirst();
    }

    private void unknownKeys() {
        for (var key : source.keys()) {
            if (ConfigKey.byKey(key).isEmpty()) {
                var suggestion = closestKey(key).map(k -> "did you mean " + k.fullKey() + "? ").orElse("");
                problems.add(new ConfigProblem(List.of(), NAMESPACE + ":" + key + ": unknown key; " + suggestion
                        + "known keys: " + Arrays.stream(values()).map(ConfigKey::key).toList()));
            }
        }
        for (var key : source.misplacedKeys()) {
            var bare = key.substring(key.indexOf(':') + 1);
            problems.add(new ConfigProblem(List.of(), key + ": namespace \"" + key.substring(0, key.indexOf(':'))
                    + "\" is not this project's, so the program never sees this key; write it as "
                    + NAMESPACE + ":" + bare));
        }
    }

    private Settings.SharedFileSystem sharedFileSystem() {
        var read = SharedFileSystemConfig.read(raw(SHARED_FILE_SYSTEM));
        if (!read.problems().isEmpty()) {
            unreadable.add(SHARED_FILE_SYSTEM);
            problems.addAll(read.problems());
        }
        return read.settings();
    }

    private String raw(ConfigKey key) {
        return source.get(key.key()).orElse(key.defaultValue());
    }

    /** A string key's value, trimmed; empty when unset or "". */
    private Optional<String> optional(ConfigKey key) {
        return Optional.of(raw(key).trim()).filter(v -> !v.isEmpty());
    }

    /** Empty when unset; {@link SettingsValidator} judges the bucket and prefix of a value of the right shape. */
    private Optional<Settings.WorkDirectory> workDirectory() {
        var raw = raw(WORK_DIRECTORY).trim();
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        var parsed = Settings.WorkDirectory.parse(raw);
        return parsed.isPresent() ? parsed : unreadable(WORK_DIRECTORY, raw, SettingsValidator.WORK_DIRECTORY_FORMAT,
                Optional.empty());
    }

    @Override
    public int integer(ConfigKey key) {
        var raw = raw(key).trim();
        if (INTEGER.matcher(raw).matches()) {
            try {
                return Integer.parseInt(raw);
            } catch (NumberFormatException tooLarge) {
                // falls through to the problem below
            }
        }
        return unreadable(key, raw, "expected a whole number (integer)", Integer.parseInt(key.defaultValue()));
    }

    @Override
    public boolean bool(ConfigKey key) {
        var raw = raw(key).trim();
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.parseBoolean(raw);
        }
        return unreadable(key, raw, "expected true or false", Boolean.parseBoolean(key.defaultValue()));
    }

    @Override
    public AllocationStrategy strategy(ConfigKey key) {
        var raw = raw(key).trim();
        try {
            return AllocationStrategy.valueOf(raw);
        } catch (IllegalArgumentException e) {
            return unreadable(key, raw, "expected one of " + Arrays.toString(AllocationStrategy.values()),
                    AllocationStrategy.valueOf(key.defaultValue()));
        }
    }

    @Override
    public List<String> list(ConfigKey key) {
        var raw = raw(key);
        var expected = "expected a list of strings, e.g. `pulumi config set --path '" + key.fullKey()
                + "[0]' VALUE` or a YAML list in the stack file";
        var parsed = jsonArray(raw);
        if (parsed.isEmpty()) {
            return unreadable(key, raw, expected, List.of());
        }
        var array = parsed.get();
        var values = new ArrayList<String>();
        for (var element : array) {
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                return unreadable(key, raw, expected + " (every item a string)", List.of());
            }
            values.add(element.getAsString());
        }
        return values;
    }

    /** A mapping with fields of their own types, read by the key's own reader. */
    private Object structure(ConfigKey key) {
        return switch (key) {
            case FAIR_SHARE -> fairShare();
            default -> throw new IllegalStateException(key + " has no reader");
        };
    }

    @Override
    public Settings.FairShare fairShare() {
        var raw = raw(FAIR_SHARE);
        var read = FairShareReader.read(raw);
        return read.problem().isPresent() ? unreadable(FAIR_SHARE, raw, read.problem().get(), read.fairShare())
                : read.fairShare();
    }

    /** A list of whole numbers, e.g. [80, 100]. */
    private List<Integer> integers(ConfigKey key) {
        var raw = raw(key);
        var expected = "expected a list of whole numbers, e.g. `pulumi config set --path '" + key.fullKey()
                + "[0]' 80` or a YAML list such as [80, 100] in the stack file";
        var fallback = JsonParser.parseString(key.defaultValue()).getAsJsonArray().asList().stream()
                .map(e -> e.getAsInt()).toList();
        var parsed = jsonArray(raw);
        if (parsed.isEmpty()) {
            return unreadable(key, raw, expected, fallback);
        }
        var array = parsed.get();
        var values = new ArrayList<Integer>();
        for (var element : array) {
            // The CLI may hand numbers as strings ("80") when set with --path.
            var text = element.isJsonPrimitive() ? element.getAsJsonPrimitive().getAsString().trim() : "";
            if (!INTEGER.matcher(text).matches()) {
                return unreadable(key, raw, expected, fallback);
            }
            try {
                values.add(Integer.parseInt(text));
            } catch (NumberFormatException tooLarge) {
                return unreadable(key, raw, expected, fallback);
            }
        }
        return values;
    }

    /** A map of strings, in the order written (the CLI passes a YAML mapping as a JSON object). */
    private java.util.Map<String, String> map(ConfigKey key) {
        var raw = raw(key);
        var expected = "expected a mapping of keys to string values, e.g. `pulumi config set --path '" + key.fullKey()
                + ".CostCenter' 4711` or a YAML mapping in the stack file";
        JsonObject object;
        try {
            var json = JsonParser.parseString(raw);
            if (!json.isJsonObject()) {
                return unreadable(key, raw, expected, java.util.Map.of());
            }
            object = json.getAsJsonObject();
        } catch (JsonParseException e) {
            return unreadable(key, raw, expected, java.util.Map.of());
        }
        var values = new java.util.LinkedHashMap<String, String>();
        for (var entry : object.entrySet()) {
            var value = entry.getValue();
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                // YAML reads 4711 or true as a number or a boolean: a tag value is text, so it is quoted.
                return unreadable(key, raw, expected + " (every value a string: quote numbers and true/false,"
                        + " e.g. CostCenter: \"4711\")", java.util.Map.of());
            }
            values.put(entry.getKey(), value.getAsString());
        }
        return values;
    }

    /** The fields a cache rule may have. */
    private static final List<String> CACHE_RULE_FIELDS = List.of("upstream", "credentialArn", "prefix");

    /**
     * A list of mappings, e.g. {@code [{upstream: quay}, {upstream: docker-hub, credentialArn: ARN}]}. Unknown
     * fields and upstreams are refused here; {@link SettingsValidator} judges the values of known ones.
     */
    private Settings.RegistryCache registryCache(ConfigKey key) {
        var raw = raw(key);
        var expected = "expected a list of mappings, one per upstream registry: {upstream: one of "
                + CacheUpstream.keys() + "; credentialArn: a Secrets Manager secret ARN (docker-hub only, required "
                + "there); prefix: an ECR repository prefix (optional)}, e.g. `pulumi config set --path '"
                + key.fullKey() + "[0].upstream' quay` or a YAML list in the stack file";
        JsonArray array;
        try {
            var json = JsonParser.parseString(raw);
            if (!json.isJsonArray()) {
                return unreadable(key, raw, expected, Settings.RegistryCache.NONE);
            }
            array = json.getAsJsonArray();
        } catch (JsonParseException e) {
            return unreadable(key, raw, expected, Settings.RegistryCache.NONE);
        }
        var rules = new ArrayList<Settings.CacheRule>();
        for (var element : array) {
            if (!element.isJsonObject()) {
                return unreadable(key, raw, expected + " (every item a mapping)", Settings.RegistryCache.NONE);
            }
            var fields = new java.util.HashMap<String, String>();
            for (var field : element.getAsJsonObject().entrySet()) {
                if (!CACHE_RULE_FIELDS.contains(field.getKey())) {
                    return unreadable(key, raw, "unknown field " + ConfigProblem.render(field.getKey()) + "; "
                            + expected, Settings.RegistryCache.NONE);
                }
                var value = field.getValue();
                if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                    return unreadable(key, raw, expected + " (every value a string)", Settings.RegistryCache.NONE);
                }
                fields.put(field.getKey(), value.getAsString());
            }
            var name = fields.get("upstream");
            var upstream = name == null ? Optional.<CacheUpstream>empty() : CacheUpstream.byKey(name.trim());
            if (upstream.isEmpty()) {
                return unreadable(key, raw, (name == null ? "an item without upstream" : ConfigProblem.render(name)
                        + ": not an upstream this stack caches") + "; " + expected, Settings.RegistryCache.NONE);
            }
            // ECR treats a prefix with a trailing '/' as the same prefix.
            var prefix = Optional.ofNullable(fields.get("prefix")).map(String::trim)
                    .map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
            rules.add(new Settings.CacheRule(upstream.get(),
                    Optional.ofNullable(fields.get("credentialArn")).map(String::trim), prefix));
        }
        return new Settings.RegistryCache(rules);
    }

    /** The fields a group entry takes; name and maxVcpus are required. */
    static final List<String> GROUP_FIELDS = List.of("name", "maxVcpus", "spot");

    /**
     * A list of groups, e.g. [{name: lab1, maxVcpus: 256, spot: true}]. Numbers and booleans may come as
     * strings ("256", "true"), as the CLI hands them when set with --path. The values are judged by
     * {@link SettingsValidator}; here only their types.
     */
    @Override
    public List<Settings.Group> groups(ConfigKey key) {
        var raw = raw(key);
        var expected = "expected a list of groups, each a mapping {name: STRING, maxVcpus: INTEGER, spot: true|false}"
                + " (spot optional, default " + Settings.Group.DEFAULT_SPOT + "), e.g. `pulumi config set --path '"
                + key.fullKey() + "[0].name' lab1` or a YAML list of mappings in the stack file";
        var parsed = jsonArray(raw);
        if (parsed.isEmpty()) {
            return unreadable(key, raw, expected, List.of());
        }
        var array = parsed.get();
        var groups = new ArrayList<Settings.Group>();
        for (var i = 0; i < array.size(); i++) {
            var element = array.get(i);
            var where = " (entry " + i + ")";
            if (!element.isJsonObject()) {
                return unreadable(key, raw, expected + where, List.of());
            }
            var entry = element.getAsJsonObject();
            var unknown = entry.keySet().stream().filter(f -> !GROUP_FIELDS.contains(f)).toList();
            if (!unknown.isEmpty()) {
                return unreadable(key, raw, expected + where + "; unknown fields " + unknown, List.of());
            }
            var name = primitive(entry, "name");
            var maxVcpus = primitive(entry, "maxVcpus").map(String::trim).filter(t -> INTEGER.matcher(t).matches());
            var spot = entry.has("spot") ? primitive(entry, "spot").map(String::trim)
                    .filter(t -> t.equals("true") || t.equals("false")) : Optional.of(String.valueOf(Settings.Group.DEFAULT_SPOT));
            if (name.isEmpty() || maxVcpus.isEmpty() || spot.isEmpty()) {
                return unreadable(key, raw, expected + where, List.of());
            }
            try {
                groups.add(new Settings.Group(name.get(), Integer.parseInt(maxVcpus.get()),
                        Boolean.parseBoolean(spot.get())));
            } catch (NumberFormatException tooLarge) {
                return unreadable(key, raw, expected + where, List.of());
            }
        }
        return groups;
    }

    /** The value as a JSON array; empty when it is something else or no JSON. */
    private static Optional<JsonArray> jsonArray(String raw) {
        try {
            var json = JsonParser.parseString(raw);
            return json.isJsonArray() ? Optional.of(json.getAsJsonArray()) : Optional.empty();
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    /** A field's value as text when it is a string, number or boolean. */
    private static Optional<String> primitive(JsonObject entry, String field) {
        var value = entry.get(field);
        return value != null && value.isJsonPrimitive() ? Optional.of(value.getAsString()) : Optional.empty();
    }

    private <T> T unreadable(ConfigKey key, String raw, String expected, T fallback) {
        // Each key is read more than once (specs share keys); report it once.
        if (unreadable.add(key)) {
            problems.add(ConfigProblem.of(key, raw, expected));
        }
        return fallback;
    }

    /** The declared key nearest to a misspelt one (case or at most 3 edits away). */
    static Optional<ConfigKey> closestKey(String key) {
        ConfigKey best = null;
        var bestDistance = Integer.MAX_VALUE;
        for (var candidate : values()) {
            var d = editDistance(key.toLowerCase(java.util.Locale.ROOT),
                    candidate.key().toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= 3 ? Optional.of(best) : Optional.empty();
    }

    static int editDistance(String a, String b) {
        var previous = new int[b.length() + 1];
        var current = new int[b.length() + 1];
        for (var j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (var i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (var j = 1; j <= b.length(); j++) {
                var cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            var swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
