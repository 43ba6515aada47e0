package io.genomicsbatch.config;

import io.genomicsbatch.engines.EngineConfigs;
import io.genomicsbatch.engines.SpotRetries;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.genomicsbatch.config.ConfigKey.*;

/**
 * The rules typed settings must meet: AWS's limits and the field notes' rules, over the compute
 * environment and queue lists as a whole. The component runs them on whatever settings it is given
 * (stack config or typed args), so both are checked alike. Messages name the stack-config key.
 */
public final class SettingsValidator {
    private SettingsValidator() {
    }

    /** Job queue priority: AWS Batch accepts 0-1000; higher runs first. */
    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 1000;
    /** A job queue takes 1-3 compute environments, with unique orders. */
    public static final int MAX_ENVIRONMENTS_PER_QUEUE = 3;
    /** Spot price cap, as a percentage of the On-Demand price. */
    public static final int MIN_BID_PERCENTAGE = 1;
    public static final int MAX_BID_PERCENTAGE = 100;
    /** Job state time-limit actions: AWS Batch accepts 600-86400 s. */
    public static final int MIN_RUNNABLE_TIMEOUT_MINUTES = 10;
    public static final int MAX_RUNNABLE_TIMEOUT_MINUTES = 1440;
    /** Above this, many accounts' default EC2 vCPU quota is exceeded. */
    public static final int TYPICAL_VCPU_QUOTA = 1024;

    /**
     * gp3 volume limits (EBS, since 2025): size, IOPS (at most 500 per GiB), throughput (at most IOPS / 4). EBS
     * now allows 2000 MiB/s, but pulumi-aws 6.83.0 (terraform-provider-aws v5) validates a launch template's
     * throughput as 125-1000, so that is the bound here.
     */
    /** The boot watchdog: at least the few minutes a host needs, at most two hours of a stuck host. */
    public static final int MIN_BOOT_TIMEOUT_MINUTES = 5;
    public static final int MAX_BOOT_TIMEOUT_MINUTES = 120;
    /** awsCliUrl travels in the user data, whose room is counted (UserData.BUDGET_BYTES). */
    public static final int MAX_AWS_CLI_URL_LENGTH = 128;
    /** AWS CLI v2 releases are numbered 2.MINOR.PATCH. */
    static final Pattern AWS_CLI_VERSION_FORMAT = Pattern.compile(
            "2\\.(0|[1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})");
    public static final int MIN_GP3_GIB = 1;
    public static final int MAX_GP3_GIB = 65_536;
    public static final int MIN_GP3_IOPS = 3_000;
    public static final int MAX_GP3_IOPS = 80_000;
    public static final int GP3_IOPS_PER_GIB = 500;
    public static final int MIN_GP3_THROUGHPUT = 125;
    public static final int MAX_GP3_THROUGHPUT = 1_000;
    public static final int GP3_IOPS_PER_MIB = 4;

    /**
     * The most instance types one compute environment should expand to. AWS Batch documents no
     * limit of its own; it launches through EC2 Auto Scaling groups, which take at most 40 instance
     * types, so a longer list is cut to a subset Batch chooses.
     */
    public static final int MAX_INSTANCE_TYPES_PER_ENVIRONMENT = 40;

    /** CloudWatch Logs retentionInDays: these values only (0 is the provider's "never expire"). */
    public static final List<Integer> LOG_RETENTION_DAYS_ALLOWED = List.of(0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
            180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    public static List<ConfigProblem> problems(Settings.Environment s) {
        var problems = new ArrayList<ConfigProblem>();
        network(s.network(), problems);
        // A group's environment takes the shared keys' values, judged on the Spot and On-Demand ones; its cap is groups'.
        for (var ce : ungrouped(s)) {
            computeEnvironment(ce, problems);
        }
        groups(s, problems);
        computeEnvironmentNames(s, problems);
        queues(s, problems);
        range(RUNNABLE_TIMEOUT_MINUTES, s.runnableTimeoutMinutes(), MIN_RUNNABLE_TIMEOUT_MINUTES,
                MAX_RUNNABLE_TIMEOUT_MINUTES, " minutes (AWS Batch time-limit actions take 600-86400 seconds)",
                problems);
        storage(s.storage(), problems);
        hosts(s.hosts(), problems);
        privateNetworkingProblem(s).ifPresent(problems::add);
        buckets(DATA_BUCKET_NAMES, s.data().dataBucketNames(), problems);
        buckets(REFERENCE_BUCKET_NAMES, s.data().referenceBucketNames(), problems);
        kmsKeys(s.data().kmsKeyArns(), problems);
        s.data().workDirectory().flatMap(w -> workDirectoryProblem(w, s.data().dataBucketNames()))
                .ifPresent(problems::add);
        if (!LOG_RETENTION_DAYS_ALLOWED.contains(s.logRetentionDays())) {
            problems.add(ConfigProblem.of(LOG_RETENTION_DAYS, s.logRetentionDays(), "expected one of CloudWatch "
                    + "Logs' retention periods " + LOG_RETENTION_DAYS_ALLOWED + " (days; 0 keeps logs forever)"));
        }
        tags(s.tags(), problems);
        alerts(s.alerts(), problems);
        budget(s.budget(), s.alerts(), problems);
        range(ENGINE_SPOT_ATTEMPTS, s.spotRetries().attempts(), 0, SpotRetries.MAX_ATTEMPTS, " attempts per job ("
                + "AWS Batch's retry strategy takes 1-" + SpotRetries.MAX_ATTEMPTS + "; 0 leaves the engine configs as "
                + "they were)", problems);
        registryCache(s.registryCache(), problems);
        amis(s, problems);
        iam(s.iam(), problems);
        fairShare(s, problems);
        problems.addAll(SharedFileSystemRules.problems(s));
        // Spot and On-Demand share instanceTypes: the same problem is reported once.
        return List.copyOf(new LinkedHashSet<>(problems));
    }

    /** Legal settings that users should know the cost of; one sentence each, naming the key. */
    public static List<String> warnings(Settings.Environment s) {
        var warnings = new ArrayList<String>();
        for (var ce : ungrouped(s)) {
            var keys = ce.keys();
            if (ce.allocationStrategy() == AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED) {
                warnings.add(keys.allocationStrategy().fullKey() + " = SPOT_PRICE_CAPACITY_OPTIMIZED: pulumi-aws "
                        + "6.83.0 replaces the compute environment on every change to its compute resources "
                        + "(terraform-provider-aws #38695); SPOT_CAPACITY_OPTIMIZED updates in place");
            } else if (ce.allocationStrategy() == AllocationStrategy.BEST_FIT) {
                warnings.add(keys.allocationStrategy().fullKey() + " = BEST_FIT: scales one instance type at a time "
                        + "and cannot be updated in place, so every change to its compute resources replaces the "
                        + "compute environment" + (ce.needsSpotFleetRole() ? "; it also needs a Spot fleet role, "
                        + "which is created" : ""));
            }
            if (s.protect() && !ce.allocationStrategy().updatesInPlace()) {
                warnings.add(keys.allocationStrategy().fullKey() + " = " + ce.allocationStrategy() + " with "
                        + PROTECT.fullKey() + " = true: a change that replaces the " + ce.name()
                        + " compute environment fails while it is protected; unprotect, update, protect again");
            }
            if (ce.maxVcpus() > TYPICAL_VCPU_QUOTA) {
                warnings.add(keys.maxVcpus().fullKey() + " = " + ce.maxVcpus() + ": above " + TYPICAL_VCPU_QUOTA
                        + " vCPUs, more than many accounts' default EC2 " + ce.capacity().label() + " vCPU quota; "
                        + "check Service Quotas, or Batch stops scaling below the cap");
            }
            keys.minVcpus().filter(k -> ce.minVcpus() > 0).ifPresent(k -> warnings.add(k.fullKey() + " = "
                    + ce.minVcpus() + ": instances stay running (and billed) while the queues are empty; 0 scales "
                    + "to zero"));
        }
        s.groups().list().stream().filter(g -> g.maxVcpus() > TYPICAL_VCPU_QUOTA).forEach(g -> warnings.add(
                GROUPS.fullKey() + ": group " + g.name() + " has maxVcpus " + g.maxVcpus() + ": above "
                        + TYPICAL_VCPU_QUOTA + " vCPUs, more than many accounts' default EC2 "
                        + g.capacity().label() + " vCPU quota; check "
                        + "Service Quotas (every group and environment of the account and region shares it), or "
                        + "Batch stops scaling below the cap"));
        for (var ce : ungrouped(s)) {
            var expansion = AwsFormats.expansion(ce.instanceTypes());
            if (expansion > MAX_INSTANCE_TYPES_PER_ENVIRONMENT) {
                warnings.add(ce.keys().instanceTypes().fullKey() + ": " + ce.instanceTypes().size() + " entries expand"
                        + " to " + expansion + " instance types (their sizes in " + InstanceCatalog.ec2().label()
                        + "; fewer in a region that lacks some), more than the "
                        + MAX_INSTANCE_TYPES_PER_ENVIRONMENT + " an EC2 Auto Scaling group takes;"
                        + " Batch then launches from a subset, which may leave out the largest sizes, so a job that"
                        + " needs one can stay RUNNABLE: list fewer families, or the sizes your largest jobs need");
            }
        }
        if (s.network().allowAllEgress()) {
            warnings.add(ALLOW_ALL_EGRESS.fullKey() + " = true: hosts (and jobs, which share the host network) may"
                    + " connect anywhere on any port; prefer " + SHARED_FILE_SYSTEM_SECURITY_GROUP_IDS.fullKey()
                    + " for file systems, and keep this for sites that need FTP or other ports");
        }
        if (s.network().vpcId().isPresent() && s.network().subnetIds().isEmpty()) {
            warnings.add(SUBNET_IDS.fullKey() + " is empty: every subnet of " + s.network().vpcId().get()
                    + " is used, public ones included; list private subnets to keep hosts off the internet");
        }
        if (s.data().dataBucketNames().isEmpty()) {
            warnings.add(DATA_BUCKET_NAMES.fullKey() + " is empty: jobs may read the reference buckets but write to no"
                    + " S3 bucket, so workflows have nowhere to keep work files or results; list your buckets (they"
                    + " must exist) and set " + WORK_DIRECTORY.fullKey());
        }
        if (s.data().workDirectory().isEmpty()) {
            warnings.add(WORK_DIRECTORY.fullKey() + " is not set: nextflowConfig, cromwellBackendConfig and"
                    + " snakemakeArgs carry the placeholder " + EngineConfigs.WORK_DIRECTORY_PLACEHOLDER
                    + " instead of a work directory, and the submitter policy grants no S3 access; set it to"
                    + " s3://BUCKET/PREFIX in a bucket of " + DATA_BUCKET_NAMES.fullKey());
        }
        for (var key : List.of(DATA_BUCKET_NAMES, REFERENCE_BUCKET_NAMES)) {
            var buckets = key == DATA_BUCKET_NAMES ? s.data().dataBucketNames() : s.data().referenceBucketNames();
            buckets.stream()
                    .filter(b -> AwsFormats.bucketName(b) == AwsFormats.BucketName.LEGACY)
                    .forEach(b -> warnings.add(key.fullKey() + ": \"" + b + "\" follows the legacy us-east-1 "
                            + "naming rules (capitals, underscores or over 63 characters); it is only valid for a "
                            + "bucket created there before 2018-03-01"));
        }
        if (s.privateNetworking().enabled()) {
            var buckets = new ArrayList<>(s.data().dataBucketNames());
            buckets.addAll(s.data().referenceBucketNames());
            warnings.add(PRIVATE_NETWORKING.fullKey() + " = true: hosts and jobs reach S3 through the gateway endpoint,"
                    + " which serves buckets of the stack's region only, and pull images from Amazon ECR only (no"
                    + " Docker Hub, Quay or other registries" + (s.registryCache().enabled() ? " except through "
                    + ECR_PULL_THROUGH_CACHE.fullKey() + "'s caches" : "") + ", no Fusion or Wave)" + (buckets.isEmpty() ? ""
                    : "; every bucket of " + DATA_BUCKET_NAMES.fullKey() + " and " + REFERENCE_BUCKET_NAMES.fullKey()
                    + " " + buckets + " must be in that region (the default reference buckets are not everywhere:"
                    + " copy what you need, or list none)"));
        }
        if (s.spotRetries().everyEngine()) {
            warnings.add(ENGINE_SPOT_ATTEMPTS.fullKey() + " = " + s.spotRetries().attempts() + ": snakemakeArgs "
                    + "pass " + EngineConfigs.SNAKEMAKE_SPOT_ATTEMPTS + ", which released versions of "
                    + "snakemake-executor-plugin-aws-batch (0.3.0 and before) do not know, so Snakemake refuses "
                    + "to start with them; cromwellBackendConfig's retry attributes need Cromwell 91 or later");
        }
        s.iam().jobRoleArn().filter(arn -> s.iam().headJobRoleArn().filter(arn::equals).isPresent())
                .ifPresent(arn -> warnings.add(JOB_ROLE_ARN.fullKey() + " and " + HEAD_JOB_ROLE_ARN.fullKey()
                        + " are the same role: every job then has the head job's rights (submit, cancel and "
                        + "terminate jobs, register job definitions, pass the role); give jobs a role of their own"));
        warnings.addAll(SharedFileSystemRules.warnings(s));
        return List.copyOf(new LinkedHashSet<>(warnings));
    }

    /** The host name of AWS's own AWS CLI downloads, which hosts without internet cannot reach. */
    static final String AWS_CLI_HOST = URI.create(Settings.Hosts.DEFAULT_AWS_CLI_URL).getHost();

    /** Without internet, hosts need the AWS CLI from a mirror they reach (docs/restricted-accounts.md). */
    private static Optional<ConfigProblem> privateNetworkingProblem(Settings.Environment s) {
        if (!s.privateNetworking().enabled() || !httpsUrl(s.hosts().awsCliUrl())
                || !AWS_CLI_HOST.equalsIgnoreCase(URI.create(s.hosts().awsCliUrl()).getHost())) {
            return Optional.empty();
        }
        return Optional.of(new ConfigProblem(List.of(AWS_CLI_URL, PRIVATE_NETWORKING), AWS_CLI_URL.fullKey() + ": got "
                + ConfigProblem.render(s.hosts().awsCliUrl()) + " with " + PRIVATE_NETWORKING.fullKey() + " = true;"
                + " hosts without internet cannot reach " + AWS_CLI_HOST + ": expected the https:// URL of your mirror"
                + " of awscli-exe-linux-<arch>-" + s.hosts().awsCliVersion() + ".zip and its .sig, such as"
                + " https://BUCKET.s3.REGION.amazonaws.com/awscli (a bucket of the stack's region, reached through"
                + " the S3 gateway endpoint; docs/restricted-accounts.md shows how to mirror it)"));
    }

    /** The compute environments that are not a group's. */
    private static List<Settings.ComputeEnvironmentSpec> ungrouped(Settings.Environment s) {
        return s.computeEnvironments().stream().filter(ce -> s.groups().bySpecName(ce.name()).isEmpty()).toList();
    }

    /** AWS Batch's quota per account and region, which cannot be raised: compute environments, and job queues. */
    public static final int MAX_BATCH_ENVIRONMENTS = 50;
    public static final int MAX_BATCH_QUEUES = 50;
    /** What a group's name may hold: it is part of compute environment and queue names (letters, digits, '-', '_'). */
    static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /**
     * Groups: names that fit in AWS names, each once; caps of at least 1 vCPU; room for their compute
     * environments and queues in Batch's quotas; the group tag free on instances and volumes. Names' lengths
     * depend on the stack's name prefix: {@link io.genomicsbatch.GenomicsBatchEnvironment#problems} judges them.
     */
    private static void groups(Settings.Environment s, List<ConfigProblem> problems) {
        var groups = s.groups().list();
        if (groups.isEmpty()) {
            return;
        }
        var parts = new ArrayList<String>();
        var badNames = groups.stream().map(Settings.Group::name).filter(n -> !GROUP_NAME.matcher(n).matches())
                .distinct().toList();
        if (!badNames.isEmpty()) {
            parts.add("names " + ConfigProblem.render(badNames) + " are not parts of AWS Batch names (letters, "
                    + "digits, '-' and '_' only, at least one)");
        }
        var seen = new HashSet<String>();
        var repeated = groups.stream().map(Settings.Group::name).filter(n -> !seen.add(n)).distinct().toList();
        if (!repeated.isEmpty()) {
            parts.add("names listed more than once: " + ConfigProblem.render(repeated));
        }
        var noCap = groups.stream().filter(g -> g.maxVcpus() < 1).map(g -> g.name() + ": " + g.maxVcpus()).toList();
        if (!noCap.isEmpty()) {
            parts.add("maxVcpus below 1 (" + String.join(", ", noCap) + "): a group's cap is at least 1 vCPU");
        }
        var environments = s.computeEnvironments().size();
        var queues = s.queues().size();
        if (environments > MAX_BATCH_ENVIRONMENTS || queues > MAX_BATCH_QUEUES) {
            parts.add(groups.size() + " groups make " + environments + " compute environments and " + queues
                    + " job queues; AWS Batch allows " + MAX_BATCH_ENVIRONMENTS + " of each per account and region"
                    + " (a quota that cannot be raised), every stack of the account and region together");
        }
        if (!parts.isEmpty()) {
            problems.add(ConfigProblem.of(GROUPS, groups.stream().map(Settings.Group::name).toList(),
                    String.join("; ", parts) + "; expected " + GROUPS_ALLOWED));
        }
        // The group tag is genomics-batch's on the group's hosts: a stack tag can neither be it nor crowd it out.
        s.tags().keySet().stream().filter(k -> ResourceTags.collide(ResourceTags.GROUP_TAG, k)).forEach(k ->
                problems.add(ConfigProblem.of(TAGS, k, "not usable as a tag key with " + GROUPS.fullKey() + ": "
                        + (k.equals(ResourceTags.GROUP_TAG) ? k : "it collides with " + ResourceTags.GROUP_TAG
                        + ", which") + " is set by genomics-batch on each group's resources, instances and "
                        + "volumes; choose another key")));
        if (s.tags().size() > ResourceTags.MAX_STACK_TAGS - 1) {
            problems.add(new ConfigProblem(List.of(TAGS, GROUPS), TAGS.fullKey() + ": got " + s.tags().size()
                    + " tags; with " + GROUPS.fullKey() + " at most " + (ResourceTags.MAX_STACK_TAGS - 1) + ": a "
                    + "group's instances and volumes carry " + ResourceTags.GROUP_TAG + " too, within AWS's "
                    + ResourceTags.MAX_TAGS_PER_RESOURCE + " per resource"));
        }
    }

    /** What groups takes, for messages. */
    public static final String GROUPS_ALLOWED = "a list of {name, maxVcpus, spot}: names of letters, digits, '-' "
            + "and '_', each once, and maxVcpus of at least 1";

    private static void network(Settings.Network n, List<ConfigProblem> problems) {
        n.vpcId().filter(id -> !AwsFormats.isVpcId(id)).ifPresent(id -> problems.add(ConfigProblem.of(VPC_ID, id,
                "expected a VPC ID: \"vpc-\" and 8 or 17 hex digits (e.g. vpc-0a1b2c3d4e5f67890), or \"\" for the "
                        + "region's default VPC")));
        listProblem(SUBNET_IDS, n.subnetIds(), id -> AwsFormats.isSubnetId(id) ? Optional.empty()
                : Unfit.of("not a subnet ID"), fit -> Optional.empty(), "expected subnet IDs: \"subnet-\" and 8 or"
                + " 17 hex digits (e.g. subnet-0a1b2c3d4e5f67890), each once, or [] for every subnet of the VPC")
                .ifPresent(problems::add);
        listProblem(SHARED_FILE_SYSTEM_SECURITY_GROUP_IDS, n.sharedFileSystemSecurityGroupIds(),
                id -> AwsFormats.isSecurityGroupId(id) ? Optional.empty() : Unfit.of("not a security group ID"),
                fit -> Optional.empty(), "expected security group IDs: \"sg-\" and 8 or 17 hex digits (e.g. "
                        + "sg-0a1b2c3d4e5f67890), each once, the groups of your EFS or FSx for Lustre file systems")
                .ifPresent(problems::add);
    }

    private static void computeEnvironment(Settings.ComputeEnvironmentSpec ce, List<ConfigProblem> problems) {
        var keys = ce.keys();
        instanceTypes(ce, problems);
        keys.minVcpus().ifPresent(k -> range(k, ce.minVcpus(), 0, Integer.MAX_VALUE, " vCPUs", problems));
        if (keys.minVcpus().isEmpty() && ce.maxVcpus() < 1) {
            problems.add(ConfigProblem.of(keys.maxVcpus(), ce.maxVcpus(), "expected 0 (no " + ce.name()
                    + " compute environment) or an integer of at least 1 vCPUs"));
        } else {
            range(keys.maxVcpus(), ce.maxVcpus(), 1, Integer.MAX_VALUE, " vCPUs (use a cap Batch can scale to)",
                    problems);
        }
        keys.minVcpus().filter(k -> ce.minVcpus() >= 0 && ce.maxVcpus() >= 1 && ce.minVcpus() > ce.maxVcpus())
                .ifPresent(minKey -> problems.add(new ConfigProblem(List.of(minKey, keys.maxVcpus()),
                        minKey.fullKey() + ": got " + ce.minVcpus() + ", above " + keys.maxVcpus().fullKey() + " ("
                                + ce.maxVcpus() + "); expected " + minKey.key() + " <= " + keys.maxVcpus().key())));
        if (!ce.capacity().allowedStrategies().contains(ce.allocationStrategy())) {
            problems.add(ConfigProblem.of(keys.allocationStrategy(), ce.allocationStrategy().name(), "expected one of "
                    + ce.capacity().allowedStrategies() + " for the " + environmentLabel(ce)
                    + " compute environment (SPOT_* strategies apply to Spot only)"));
        }
        ce.bidPercentage().ifPresent(bid -> range(keys.bidPercentage().orElseThrow(), bid, MIN_BID_PERCENTAGE,
                MAX_BID_PERCENTAGE, " (the Spot price cap as a percentage of the On-Demand price)", problems));
    }

    /** "On-Demand" for the on-demand environment, "On-Demand gpu" for the GPU one. */
    private static String environmentLabel(Settings.ComputeEnvironmentSpec ce) {
        var label = ce.capacity().label();
        return label.replace("-", "").equalsIgnoreCase(ce.name().replace("-", "")) ? label : label + " " + ce.name();
    }

    /** Mac instances run only on Dedicated Hosts, which Batch's managed compute environments do not launch onto. */
    private static final String MAC_RULE = "EC2 Mac families, which run only on Dedicated Hosts, and AWS Batch managed "
            + "compute environments cannot use those";

    /**
     * A value that does not fit its key: a fact shown next to it ("NVIDIA A10G"), and the rule it breaks,
     * worded to be shared by every value that breaks it alike.
     */
    private record Unfit(Optional<String> fact, String rule) {
        static Optional<Unfit> of(String rule) {
            return Optional.of(new Unfit(Optional.empty(), rule));
        }
    }

    /**
     * One problem for an instance type key, whatever is wrong with it: each value that does not fit, with
     * why, then repeated values and mixed architectures, then what is allowed.
     */
    private static void instanceTypes(Settings.ComputeEnvironmentSpec ce, List<ConfigProblem> problems) {
        var key = ce.keys().instanceTypes();
        var types = ce.instanceTypes();
        var catalog = InstanceCatalog.ec2();
        var allowed = ce.imageType().gpu()
                ? "expected x86_64 NVIDIA GPU families that " + ce.imageType() + " runs ("
                        + String.join(", ", AwsFormats.nvidiaAmiFamilies()) + " in " + catalog.label()
                        + ") or their types (e.g. g6.2xlarge), each once"
                : "expected EC2 instance families (e.g. r6i) or types (e.g. m6i.2xlarge) the EC2 API knows ("
                        + catalog.label() + ") or Batch categories " + AwsFormats.CATEGORIES + ", each once, of one"
                        + " architecture, and no NVIDIA GPU, Mac or A1 families";
        if (types.isEmpty()) {
            problems.add(ConfigProblem.of(key, types, allowed.replaceFirst("expected", "expected at least one of")));
            return;
        }
        listProblem(key, types, t -> unfit(t, ce.imageType()), fit -> {
            var byArch = fit.stream().collect(Collectors.groupingBy(AwsFormats::architecture, TreeMap::new,
                    Collectors.toList()));
            return byArch.size() < 2 ? Optional.empty() : Optional.of("mixes architectures " + byArch.entrySet()
                    .stream().map(e -> e.getKey() + "=" + ConfigProblem.render(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}")) + ", and a job queue's compute environments must "
                    + "share one architecture, so pick one");
        }, allowed).ifPresent(problems::add);
    }

    /**
     * One problem for a list key, whatever is wrong with it: each value that does not fit, with why (values
     * that break a rule alike share it), the values listed more than once, and {@code ofFitValues}' judgment
     * of the values that fit, taken together; then what is allowed. Empty when nothing is wrong.
     */
    private static Optional<ConfigProblem> listProblem(ConfigKey key, List<String> values,
                                                       Function<String, Optional<Unfit>> unfit,
                                                       Function<List<String>, Optional<String>> ofFitValues,
                                                       String allowed) {
        var byRule = new LinkedHashMap<String, List<String>>();
        var fit = new ArrayList<String>();
        var shown = 0;
        for (var value : new LinkedHashSet<>(values)) {
            var why = unfit.apply(value);
            if (why.isEmpty()) {
                fit.add(value);
            } else if (shown++ < ConfigProblem.MAX_SHOWN_ITEMS) {
                byRule.computeIfAbsent(why.get().rule(), r -> new ArrayList<>())
                        .add(ConfigProblem.render(value) + why.get().fact().map(f -> " (" + f + ")").orElse(""));
            }
        }
        var parts = new ArrayList<String>();
        byRule.forEach((rule, shownValues) -> parts.add(String.join(", ", shownValues) + ": " + rule));
        if (shown > ConfigProblem.MAX_SHOWN_ITEMS) {
            parts.add((shown - ConfigProblem.MAX_SHOWN_ITEMS) + " more such values");
        }
        var seen = new HashSet<String>();
        var repeated = values.stream().filter(v -> !seen.add(v)).distinct().toList();
        if (!repeated.isEmpty()) {
            parts.add("listed more than once: " + ConfigProblem.render(repeated));
        }
        ofFitValues.apply(fit).ifPresent(parts::add);
        return parts.isEmpty() ? Optional.empty()
                : Optional.of(ConfigProblem.of(key, values, String.join("; ", parts) + "; " + allowed));
    }

    /** Why one value does not fit a compute environment of this AMI, if it does not. */
    private static Optional<Unfit> unfit(String t, ImageType image) {
        var catalog = InstanceCatalog.ec2();
        var noGpu = "no GPUs (CPU types and Batch categories belong in " + INSTANCE_TYPES.fullKey() + ")";
        if (AwsFormats.CATEGORIES.contains(t)) {
            return image.gpu() ? Unfit.of(noGpu) : Optional.empty();
        }
        if (!catalog.knows(t)) {
            return Unfit.of(catalog.whyNot(t, AwsFormats.CATEGORIES));
        }
        if (AwsFormats.isMac(t)) {
            return Unfit.of(MAC_RULE);
        }
        var gpu = AwsFormats.gpuFact(t);
        if (image.gpu()) {
            return gpu.isEmpty() ? Unfit.of(noGpu)
                    : AwsFormats.nvidiaAmiUnsupported(t).map(why -> new Unfit(gpu, why));
        }
        // Accelerators of other makers (Habana, AMD, Inferentia, Trainium, FPGAs) stay unused on ordinary hosts.
        if (AwsFormats.isNvidiaGpuType(t)) {
            return Optional.of(new Unfit(gpu, AwsFormats.nvidiaAmiUnsupported(t)
                    .map(why -> "NVIDIA GPU families, which " + image + " has no driver for; nor can "
                            + GPU_INSTANCE_TYPES.fullKey() + " take them: " + why)
                    .orElse("NVIDIA GPU families, which " + image + " has no driver for: list them in "
                            + GPU_INSTANCE_TYPES.fullKey() + " and set " + GPU_MAX_VCPUS.fullKey()
                            + " to build the GPU compute environment and queue")));
        }
        if (AwsFormats.isA1(t)) {
            return Unfit.of("Amazon Linux 2023 (" + image + ") does not support A1 instances; use a Graviton family "
                    + "such as m6g, c7g or r8g");
        }
        return Optional.empty();
    }

    private static void computeEnvironmentNames(Settings.Environment s, List<ConfigProblem> problems) {
        var names = s.computeEnvironments().stream().map(Settings.ComputeEnvironmentSpec::name).toList();
        var queueNames = s.queues().stream().map(Settings.QueueSpec::name).toList();
        for (var kind : List.of("compute environment", "queue")) {
            var list = kind.equals("queue") ? queueNames : names;
            var seen = new HashSet<String>();
            list.stream().filter(n -> !seen.add(n)).distinct().forEach(n -> problems.add(new ConfigProblem(List.of(),
                    "two " + kind + "s are named \"" + n + "\"; names must be unique")));
        }
    }

    private static void queues(Settings.Environment s, List<ConfigProblem> problems) {
        for (var q : s.queues()) {
            var label = q.priorityKey().map(ConfigKey::fullKey).orElse("queue " + q.name() + " priority");
            if (q.priority() < MIN_PRIORITY || q.priority() > MAX_PRIORITY) {
                problems.add(new ConfigProblem(q.priorityKey().stream().toList(), label + ": got " + q.priority()
                        + "; expected an integer from " + MIN_PRIORITY + " to " + MAX_PRIORITY));
            }
            var order = q.computeEnvironments();
            var where = "queue " + q.name() + " (" + order + ")";
            if (order.isEmpty() || order.size() > MAX_ENVIRONMENTS_PER_QUEUE) {
                problems.add(new ConfigProblem(List.of(), where + ": a job queue takes 1 to "
                        + MAX_ENVIRONMENTS_PER_QUEUE + " compute environments"));
            }
            if (new HashSet<>(order).size() != order.size()) {
                problems.add(new ConfigProblem(List.of(), where + ": a compute environment appears twice; each "
                        + "takes one order"));
            }
            var environments = new ArrayList<Settings.ComputeEnvironmentSpec>();
            for (var name : order) {
                var ce = s.computeEnvironment(name);
                if (ce.isEmpty()) {
                    problems.add(new ConfigProblem(List.of(), where + ": no compute environment named \"" + name
                            + "\"; known: " + s.computeEnvironments().stream()
                            .map(Settings.ComputeEnvironmentSpec::name).toList()));
                } else {
                    environments.add(ce.get());
                }
            }
            // Judged only when each environment is one architecture itself (else its own key is reported).
            var perEnvironment = environments.stream()
                    .map(ce -> ce.instanceTypes().stream().filter(AwsFormats::isInstanceType)
                            .map(AwsFormats::architecture).collect(Collectors.toSet()))
                    .toList();
            var architectures = perEnvironment.stream().flatMap(java.util.Set::stream)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            if (perEnvironment.stream().allMatch(a -> a.size() <= 1) && architectures.size() > 1) {
                problems.add(new ConfigProblem(keysOf(environments), where + ": its compute environments mix "
                        + "architectures " + architectures + " (" + instanceKeys(environments) + "); a job queue "
                        + "runs one architecture"));
            }
            if (environments.stream().map(ce -> ce.capacity().family()).distinct().count() > 1) {
                problems.add(new ConfigProblem(List.of(), where + ": mixes EC2 and Fargate capacity"));
            }
            if (q.onDemandOnly()) {
                environments.stream().filter(ce -> ce.capacity() == CapacityType.SPOT).forEach(ce -> problems.add(
                        new ConfigProblem(List.of(), where + ": must never place a job on Spot, but "
                                + ce.name() + " is a Spot compute environment")));
            }
        }
        var low = s.queue(Lineup.DEFAULT_QUEUE);
        var high = s.queue(Lineup.HIGH_PRIORITY_QUEUE);
        if (low.isPresent() && high.isPresent() && inRange(low.get()) && inRange(high.get())
                && high.get().priority() <= low.get().priority()) {
            problems.add(new ConfigProblem(List.of(HIGH_PRIORITY_QUEUE_PRIORITY, DEFAULT_QUEUE_PRIORITY),
                    HIGH_PRIORITY_QUEUE_PRIORITY.fullKey() + ": got " + high.get().priority() + ", not above "
                            + DEFAULT_QUEUE_PRIORITY.fullKey() + " (" + low.get().priority() + "); expected "
                            + HIGH_PRIORITY_QUEUE_PRIORITY.key() + " > " + DEFAULT_QUEUE_PRIORITY.key()));
        }
    }

    private static boolean inRange(Settings.QueueSpec q) {
        return q.priority() >= MIN_PRIORITY && q.priority() <= MAX_PRIORITY;
    }

    private static List<ConfigKey> keysOf(List<Settings.ComputeEnvironmentSpec> environments) {
        return environments.stream().map(ce -> ce.keys().instanceTypes()).distinct().toList();
    }

    private static String instanceKeys(List<Settings.ComputeEnvironmentSpec> environments) {
        return keysOf(environments).stream().map(ConfigKey::fullKey).collect(Collectors.joining(", "));
    }

    private static void storage(Settings.Storage st, List<ConfigProblem> problems) {
        var before = problems.size();
        range(SCRATCH_VOLUME_GIB, st.initialGiB(), MIN_GP3_GIB, MAX_GP3_GIB, " GiB (the size limits of a gp3 volume)",
                problems);
        range(SCRATCH_VOLUME_IOPS, st.iops(), MIN_GP3_IOPS, MAX_GP3_IOPS, " (gp3 IOPS limits)", problems);
        range(SCRATCH_VOLUME_THROUGHPUT, st.throughputMiB(), MIN_GP3_THROUGHPUT, MAX_GP3_THROUGHPUT,
                " MiB/s (gp3 throughput in a pulumi-aws 6.83.0 launch template)", problems);
        if (problems.size() != before) {
            return;
        }
        if (st.iops() > GP3_IOPS_PER_GIB * (long) st.initialGiB()) {
            problems.add(new ConfigProblem(List.of(SCRATCH_VOLUME_IOPS, SCRATCH_VOLUME_GIB), SCRATCH_VOLUME_IOPS.fullKey()
                    + ": got " + st.iops() + "; gp3 allows at most " + GP3_IOPS_PER_GIB + " IOPS per GiB, so at most "
                    + GP3_IOPS_PER_GIB * (long) st.initialGiB() + " for " + SCRATCH_VOLUME_GIB.fullKey() + " = "
                    + st.initialGiB()));
        }
        if ((long) st.throughputMiB() * GP3_IOPS_PER_MIB > st.iops()) {
            problems.add(new ConfigProblem(List.of(SCRATCH_VOLUME_THROUGHPUT, SCRATCH_VOLUME_IOPS),
                    SCRATCH_VOLUME_THROUGHPUT.fullKey() + ": got " + st.throughputMiB() + "; gp3 allows at most 1 MiB/s "
                            + "per " + GP3_IOPS_PER_MIB + " IOPS, so at most " + st.iops() / GP3_IOPS_PER_MIB + " for "
                            + SCRATCH_VOLUME_IOPS.fullKey() + " = " + st.iops()));
        }
        if (st.maxGiB() < st.initialGiB()) {
            problems.add(new ConfigProblem(List.of(SCRATCH_MAX_GIB, SCRATCH_VOLUME_GIB), SCRATCH_MAX_GIB.fullKey()
                    + ": got " + st.maxGiB() + ", below " + SCRATCH_VOLUME_GIB.fullKey() + " (" + st.initialGiB()
                    + "); expected 0 (grow to " + Settings.Storage.DEFAULT_GROWTH_FACTOR + " times "
                    + SCRATCH_VOLUME_GIB.key() + ") or " + SCRATCH_MAX_GIB.key() + " >= " + SCRATCH_VOLUME_GIB.key()
                    + " (equal: the data storage never grows)"));
        }
    }

    private static void hosts(Settings.Hosts h, List<ConfigProblem> problems) {
        range(HOST_BOOT_TIMEOUT_MINUTES, h.bootTimeoutMinutes(), MIN_BOOT_TIMEOUT_MINUTES, MAX_BOOT_TIMEOUT_MINUTES,
                " minutes (a host not provisioned by then powers itself off)", problems);
        if (!AWS_CLI_VERSION_FORMAT.matcher(h.awsCliVersion()).matches()) {
            problems.add(ConfigProblem.of(AWS_CLI_VERSION, h.awsCliVersion(), "expected an AWS CLI v2 release "
                    + "number such as " + Settings.Hosts.DEFAULT_AWS_CLI_VERSION + " (2.MINOR.PATCH)"));
        }
        if (!httpsUrl(h.awsCliUrl()) || h.awsCliUrl().length() > MAX_AWS_CLI_URL_LENGTH) {
            problems.add(ConfigProblem.of(AWS_CLI_URL, h.awsCliUrl(), "expected an https:// URL of the folder "
                    + "holding awscli-exe-linux-<arch>-<version>.zip and its .sig, such as "
                    + Settings.Hosts.DEFAULT_AWS_CLI_URL + " (AWS's) or your mirror's, without query or fragment, "
                    + "at most " + MAX_AWS_CLI_URL_LENGTH + " characters (it travels in the user data)"));
        }
    }

    /** https, a host, and no user info, query or fragment: the script appends "/awscli-exe-...zip". */
    static boolean httpsUrl(String url) {
        try {
            var uri = new URI(url);
            return "https".equals(uri.getScheme()) && uri.getHost() != null && uri.getRawUserInfo() == null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && !url.contains("'")
                    && url.chars().allMatch(c -> c > 32 && c < 127);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void buckets(ConfigKey key, List<String> buckets, List<ConfigProblem> problems) {
        listProblem(key, buckets, b -> AwsFormats.bucketName(b) != AwsFormats.BucketName.INVALID ? Optional.empty()
                : Unfit.of(AwsFormats.bucketHint(b).orElse("not an S3 bucket name")), fit -> Optional.empty(),
                "expected S3 bucket names, each once: " + BUCKET_RULES).ifPresent(problems::add);
    }

    private static final String BUCKET_RULES = "3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a "
            + "letter or digit, no '..', not an IP address, not using the reserved "
            + AwsFormats.reservedBucketAffixes();

    /** What an S3 bucket name must be, for a value the bucket-name check refuses. */
    private static String bucketRules(String b) {
        return AwsFormats.bucketHint(b).orElse("expected an S3 bucket name: " + BUCKET_RULES);
    }

    /** The shape of workDirectory, for messages. */
    public static final String WORK_DIRECTORY_FORMAT = "expected s3://BUCKET/PREFIX (e.g. s3://acme-genomics-work/runs)"
            + " with BUCKET one of " + DATA_BUCKET_NAMES.fullKey();

    /**
     * A prefix part: AWS's safe characters for object key names. Engines treat the prefix as a path (a Java
     * or Python path drops empty, "." and ".." parts, so they would write outside the prefix the submitter
     * policy grants), IAM policy text takes Latin-1 only, and '$' and '?' are IAM policy syntax.
     */
    private static final Pattern WORK_PREFIX_PART = Pattern.compile("[A-Za-z0-9!_.*'()-]+");

    /** The one problem of a work directory, if it has one: its bucket, then its prefix. */
    private static java.util.Optional<ConfigProblem> workDirectoryProblem(Settings.WorkDirectory w,
                                                                         List<String> dataBuckets) {
        String allowed = null;
        if (AwsFormats.bucketName(w.bucket()) == AwsFormats.BucketName.INVALID) {
            allowed = WORK_DIRECTORY_FORMAT + "; BUCKET \"" + w.bucket() + "\": " + bucketRules(w.bucket());
        } else if (!dataBuckets.contains(w.bucket())) {
            // A relation with dataBucketNames: not judged when that key could not be read.
            return java.util.Optional.of(new ConfigProblem(List.of(WORK_DIRECTORY, DATA_BUCKET_NAMES),
                    ConfigProblem.of(WORK_DIRECTORY, w.uri(), WORK_DIRECTORY_FORMAT + (dataBuckets.isEmpty()
                            ? ", which is empty: list the bucket there" : " " + ConfigProblem.render(dataBuckets))
                            + " (jobs may write to those buckets only)").message()));
        } else if (w.prefix().isEmpty()) {
            allowed = WORK_DIRECTORY_FORMAT + ", and a PREFIX: the engines' work files, which they delete, stay"
                    + " apart from the rest of the bucket, and the submitter policy grants that prefix only";
        } else if (!java.util.Arrays.stream(w.prefix().split("/", -1))
                .allMatch(part -> WORK_PREFIX_PART.matcher(part).matches() && !part.equals(".")
                        && !part.equals(".."))) {
            allowed = WORK_DIRECTORY_FORMAT + ", and PREFIX parts separated by single '/', each of AWS's safe "
                    + "characters for object keys (letters, digits and ! - _ . * ' ( )), none \".\" or \"..\"";
        }
        return java.util.Optional.ofNullable(allowed).map(a -> ConfigProblem.of(WORK_DIRECTORY, w.uri(), a));
    }

    /** A boot loop is this many failures in one alarm period; more than 100 in 15 minutes is no longer early. */
    public static final int MAX_BOOT_LOOP_FAILURES = 100;

    private static void alerts(Settings.Alerts a, List<ConfigProblem> problems) {
        listProblem(ALERT_EMAILS, a.emails(), e -> AwsFormats.isEmailAddress(e) ? Optional.empty()
                        : Unfit.of("not an e-mail address"), fit -> Optional.empty(),
                "expected e-mail addresses, one per item, each once (e.g. genomics-alerts@example.org): a local "
                        + "part of letters, digits and !#$%&'*+/=?^_`{|}~- with single inner dots, '@', and a domain "
                        + "of dot-separated labels; SNS subscribes each by e-mail").ifPresent(problems::add);
        a.topicArn().ifPresent(arn -> {
            if (!AwsFormats.isSnsTopicArn(arn)) {
                problems.add(ConfigProblem.of(ALERT_TOPIC_ARN, arn, "expected an SNS topic ARN: arn:PARTITION:sns:"
                        + "REGION:ACCOUNT:NAME (NAME 1-256 letters, digits, '-' and '_'), e.g. "
                        + "arn:aws:sns:us-east-1:123456789012:genomics-alerts"));
            } else {
                AwsFormats.snsTopicRegionProblem(arn).ifPresent(why -> problems.add(ConfigProblem.of(ALERT_TOPIC_ARN,
                        arn, "not a topic ARN AWS could issue: " + why)));
            }
            if (!a.emails().isEmpty()) {
                problems.add(new ConfigProblem(List.of(ALERT_EMAILS, ALERT_TOPIC_ARN), ALERT_EMAILS.fullKey() + " and "
                        + ALERT_TOPIC_ARN.fullKey() + " are both set; set one: " + ALERT_EMAILS.key() + " creates a "
                        + "topic and subscribes the addresses, " + ALERT_TOPIC_ARN.key() + " publishes to a topic "
                        + "you manage (subscribe the addresses there)"));
            }
        });
        range(BOOT_LOOP_FAILURES, a.bootLoopFailures(), 1, MAX_BOOT_LOOP_FAILURES, " provisioning failures in "
                + Settings.Alerts.BOOT_LOOP_MINUTES + " minutes", problems);
    }

    /** Budget thresholds: AWS Budgets takes percentages above 0; beyond 1000 % a threshold no longer warns. */
    public static final int MIN_BUDGET_PERCENT = 1;
    public static final int MAX_BUDGET_PERCENT = 1000;
    /** AWS Budgets allows 10 notifications per budget: each threshold is two (actual and forecasted). */
    public static final int MAX_BUDGET_ALERT_PERCENTS = 5;
    /** IAM role names (CreateRole's RoleName): 1-64 of letters, digits and _+=,.@- */
    static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,64}");

    private static void budget(Settings.Budget b, Settings.Alerts a, List<ConfigProblem> problems) {
        if (b.monthlyUsd() < 0) {
            problems.add(ConfigProblem.of(MONTHLY_BUDGET_USD, b.monthlyUsd(), "expected a whole number of US "
                    + "dollars a month, at least 1 (0 or unset: no budget)"));
        }
        var percents = b.alertPercents();
        if (percents.isEmpty() || percents.size() > MAX_BUDGET_ALERT_PERCENTS
                || percents.stream().anyMatch(p -> p < MIN_BUDGET_PERCENT || p > MAX_BUDGET_PERCENT)
                || percents.stream().distinct().count() < percents.size()) {
            problems.add(ConfigProblem.of(BUDGET_ALERT_PERCENTS, percents, "expected 1 to "
                    + MAX_BUDGET_ALERT_PERCENTS + " different percentages of " + MONTHLY_BUDGET_USD.key() + ", each "
                    + "from " + MIN_BUDGET_PERCENT + " to " + MAX_BUDGET_PERCENT + " (each is an actual and a "
                    + "forecasted notification; AWS Budgets takes 10 notifications per budget)"));
        }
        if (b.stopPercent() < 0 || b.stopPercent() > MAX_BUDGET_PERCENT) {
            range(BUDGET_STOP_PERCENT, b.stopPercent(), MIN_BUDGET_PERCENT, MAX_BUDGET_PERCENT, " % of "
                    + MONTHLY_BUDGET_USD.key() + " (0 or unset: no stop)", problems);
        } else if (b.stopPercent() != 0) {
            if (b.monthlyUsd() == 0) {
                problems.add(new ConfigProblem(List.of(BUDGET_STOP_PERCENT, MONTHLY_BUDGET_USD),
                        BUDGET_STOP_PERCENT.fullKey() + ": got " + b.stopPercent() + "; expected a "
                                + MONTHLY_BUDGET_USD.fullKey() + " to take a percentage of: set it (whole US dollars "
                                + "a month), or leave " + BUDGET_STOP_PERCENT.key() + " unset"));
            }
        }
        var roleNames = listProblem(BUDGET_STOP_ROLE_NAMES, b.stopRoleNames(), n -> ROLE_NAME.matcher(n).matches()
                        ? Optional.empty() : Unfit.of("not an IAM role name"), fit -> Optional.empty(),
                "expected IAM role names (not ARNs), each once: 1-64 letters, digits and _+=,.@- "
                        + "(e.g. nextflow-tower-launch)");
        roleNames.ifPresent(problems::add);
        if (roleNames.isEmpty() && !b.stopRoleNames().isEmpty() && b.stopPercent() == 0) {
            problems.add(ConfigProblem.of(BUDGET_STOP_ROLE_NAMES, b.stopRoleNames(), "these roles are denied "
                    + "batch:SubmitJob when the budget stop acts; set " + BUDGET_STOP_PERCENT.fullKey() + " (1-"
                    + MAX_BUDGET_PERCENT + ") with " + MONTHLY_BUDGET_USD.key() + ", or leave this unset"));
        }
        if (b.enabled() && !a.enabled()) {
            problems.add(new ConfigProblem(List.of(MONTHLY_BUDGET_USD), MONTHLY_BUDGET_USD.fullKey() + ": got "
                    + b.monthlyUsd() + "; a budget notifies through the alert topic: set " + ALERT_EMAILS.fullKey()
                    + " or " + ALERT_TOPIC_ARN.fullKey() + " too"));
        }
    }

    /** ECR repository prefixes of pull-through cache rules: CreatePullThroughCacheRule's ecrRepositoryPrefix. */
    public static final int MIN_CACHE_PREFIX = 2;
    public static final int MAX_CACHE_PREFIX = 30;
    private static final Pattern CACHE_PREFIX = Pattern.compile(
            "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    /** ECR reads a pull-through cache rule's credentials only from secrets named so. */
    public static final String CACHE_SECRET_PREFIX = "ecr-pullthroughcache/";
    /** CreatePullThroughCacheRule's credentialArn length limits. */
    static final int MIN_CACHE_SECRET_ARN = 50;
    static final int MAX_CACHE_SECRET_ARN = 612;

    /** What a cache prefix must be, for messages. */
    public static final String CACHE_PREFIX_RULES = MIN_CACHE_PREFIX + "-" + MAX_CACHE_PREFIX + " characters: lower-case"
            + " letters and digits, in parts separated by single '.', '_' or '-', parts joined by '/' (ECR's "
            + "repository prefix rule)";

    /** Why a cache rule's repository prefix is not one ECR and this stack take, if it is not. */
    public static Optional<String> cachePrefixProblem(String prefix) {
        if (prefix.equals("ROOT")) {
            return Optional.of("ROOT (every repository of the registry) is not one upstream's cache: the hosts may"
                    + " create repositories under the cache prefixes only");
        }
        if (prefix.length() < MIN_CACHE_PREFIX || prefix.length() > MAX_CACHE_PREFIX
                || !CACHE_PREFIX.matcher(prefix).matches()) {
            return Optional.of("not an ECR repository prefix" + (prefix.length() > MAX_CACHE_PREFIX
                    ? " (" + prefix.length() + " characters)" : ""));
        }
        return Optional.empty();
    }

    /**
     * One problem for the cache key, whatever is wrong: upstreams listed twice, credentials missing (Docker Hub)
     * or not taken (Quay and ECR Public are cached without authentication), credential ARNs that are no
     * Secrets Manager secret of a real partition or lack ECR's name prefix, prefixes ECR refuses or repeated.
     */
    private static void registryCache(Settings.RegistryCache cache, List<ConfigProblem> problems) {
        var parts = new ArrayList<String>();
        var upstreams = new HashSet<CacheUpstream>();
        var prefixes = new HashSet<String>();
        for (var rule : cache.rules()) {
            var upstream = rule.upstream().key();
            if (!upstreams.add(rule.upstream())) {
                parts.add(upstream + ": listed more than once (one rule per upstream)");
            }
            if (rule.upstream().needsCredential() && rule.credentialArn().isEmpty()) {
                parts.add(upstream + ": needs credentialArn, a Secrets Manager secret named " + CACHE_SECRET_PREFIX
                        + "... holding the registry's username and accessToken (AWS caches " + upstream
                        + " only with authentication)");
            }
            rule.credentialArn().ifPresent(arn -> {
                if (!rule.upstream().needsCredential()) {
                    parts.add(upstream + ": takes no credentialArn (AWS caches it without authentication); got "
                            + ConfigProblem.render(arn));
                } else {
                    cacheSecretProblem(arn).ifPresent(why -> parts.add(upstream + ": credentialArn "
                            + ConfigProblem.render(arn) + ": " + why));
                }
            });
            rule.prefix().ifPresent(prefix -> {
                cachePrefixProblem(prefix).ifPresent(why -> parts.add(upstream + ": prefix "
                        + ConfigProblem.render(prefix) + ": " + why));
                if (!prefixes.add(prefix)) {
                    parts.add(upstream + ": prefix " + ConfigProblem.render(prefix) + " is another rule's too");
                }
            });
        }
        if (!parts.isEmpty()) {
            problems.add(new ConfigProblem(List.of(ECR_PULL_THROUGH_CACHE), ECR_PULL_THROUGH_CACHE.fullKey() + ": "
                    + String.join("; ", parts) + "; expected each of " + CacheUpstream.keys() + " at most once, "
                    + "docker-hub with credentialArn arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:"
                    + CACHE_SECRET_PREFIX + "NAME, and prefixes of " + CACHE_PREFIX_RULES));
        }
    }

    /** Why a credential ARN is not one ECR takes for a pull-through cache rule, if it is not. */
    private static Optional<String> cacheSecretProblem(String arn) {
        if (!AwsFormats.isSecretArn(arn)) {
            return Optional.of("not a Secrets Manager secret ARN");
        }
        var region = AwsFormats.secretRegionProblem(arn);
        if (region.isPresent()) {
            return Optional.of("not a secret ARN AWS could issue: " + region.get());
        }
        if (!AwsFormats.secretName(arn).startsWith(CACHE_SECRET_PREFIX)) {
            return Optional.of("the secret's name must start with " + CACHE_SECRET_PREFIX + " (ECR reads no other "
                    + "secrets for a pull-through cache)");
        }
        if (arn.length() < MIN_CACHE_SECRET_ARN || arn.length() > MAX_CACHE_SECRET_ARN) {
            return Optional.of("ECR takes credential ARNs of " + MIN_CACHE_SECRET_ARN + "-" + MAX_CACHE_SECRET_ARN
                    + " characters");
        }
        return Optional.empty();
    }

    static final String AMI_ID_FORMAT = "expected an AMI ID: \"ami-\" and 8 or 17 hex digits (e.g. "
            + "ami-0a1b2c3d4e5f67890)";
    static final String SSM_PARAMETER_FORMAT = "expected an SSM parameter name: '/' and at most "
            + AwsFormats.MAX_SSM_PARAMETER_LEVELS + " levels separated by '/', each of letters, digits and _ . -, "
            + "at most " + AwsFormats.MAX_SSM_PARAMETER_LENGTH + " characters (e.g. " + AmiSource.RECOMMENDED_X86_64
            + ")";

    /**
     * Pinned AMIs: formats, one source per environment, a GPU key only with a GPU environment, and AWS's own
     * parameters checked by their path (an image ID's architecture is looked up at preview: compute.PinnedAmis).
     */
    private static void amis(Settings.Environment s, List<ConfigProblem> problems) {
        var a = s.amis();
        var gpuEnvironment = s.computeEnvironments().stream().filter(ce -> ce.imageType().gpu()).findFirst();
        var cpuEnvironment = s.computeEnvironments().stream().filter(ce -> !ce.imageType().gpu()).findFirst();
        amiPair(AMI_ID, a.amiId(), AMI_SSM_PARAMETER, a.ssmParameter(), cpuEnvironment, problems);
        amiPair(GPU_AMI_ID, a.gpuAmiId(), GPU_AMI_SSM_PARAMETER, a.gpuSsmParameter(), gpuEnvironment, problems);
        if (gpuEnvironment.isEmpty()) {
            for (var key : List.of(GPU_AMI_ID, GPU_AMI_SSM_PARAMETER)) {
                (key == GPU_AMI_ID ? a.gpuAmiId() : a.gpuSsmParameter()).ifPresent(v -> problems.add(new ConfigProblem(
                        List.of(key, GPU_MAX_VCPUS), ConfigProblem.of(key, v, "there is no GPU compute environment ("
                        + GPU_MAX_VCPUS.fullKey() + " is 0): set " + GPU_MAX_VCPUS.key() + ", or leave "
                        + key.key() + " unset").message())));
            }
        }
    }

    /** One environment's image and parameter keys: each well-formed, not both, AWS's parameters by their path. */
    private static void amiPair(ConfigKey idKey, Optional<String> id, ConfigKey parameterKey, Optional<String> parameter,
                                Optional<Settings.ComputeEnvironmentSpec> environment, List<ConfigProblem> problems) {
        id.filter(v -> !AwsFormats.isAmiId(v)).ifPresent(v -> problems.add(ConfigProblem.of(idKey, v, AMI_ID_FORMAT)));
        parameter.ifPresent(name -> {
            if (!AwsFormats.isSsmParameterName(name)) {
                problems.add(ConfigProblem.of(parameterKey, name, SSM_PARAMETER_FORMAT));
            } else {
                environment.flatMap(ce -> awsParameterProblem(parameterKey, name, ce)).ifPresent(problems::add);
            }
        });
        if (id.isPresent() && parameter.isPresent()) {
            problems.add(new ConfigProblem(List.of(idKey, parameterKey), idKey.fullKey() + " and "
                    + parameterKey.fullKey() + " are both set; set one: " + idKey.key() + " pins an approved image, "
                    + parameterKey.key() + " follows a parameter's value"));
        }
    }

    /**
     * What is wrong with one of AWS's ECS-optimized parameters for an environment, by its path: the metadata
     * parameter instead of its image_id, another operating system, another architecture, a GPU image for CPU
     * hosts or a plain one for GPU hosts. A parameter of one's own cannot be judged by its name: its image
     * must fit (docs/restricted-accounts.md), and so does its architecture at the first launch.
     */
    private static Optional<ConfigProblem> awsParameterProblem(ConfigKey key, String name,
                                                               Settings.ComputeEnvironmentSpec ce) {
        var example = AmiSource.recommended(ce.imageType(), ce.architecture()).value();
        String why = null;
        if (name.startsWith("/aws/service/ecs/optimized-ami/") && !name.startsWith(AmiSource.AWS_ECS_AL2023)) {
            why = "an ECS-optimized image of another operating system; the compute environments are "
                    + ce.imageType() + " (Amazon Linux 2023), and the hosts' user data is written for it";
        } else if (AmiSource.awsVariant(name).isPresent()) {
            var variant = AmiSource.awsVariant(name).get();
            var gpu = ce.imageType().gpu();
            if (!name.endsWith("/image_id")) {
                why = "its value is the image's metadata (JSON), not an AMI ID; the ID is its image_id parameter";
            } else if (variant == AmiSource.AwsVariant.NEURON) {
                why = "AWS's Neuron (Inferentia, Trainium) image, which these compute environments do not run";
            } else if (gpu && !variant.nvidia()) {
                why = "AWS's image without the NVIDIA driver, and the GPU compute environment needs it";
            } else if (!gpu && variant.nvidia()) {
                why = "AWS's GPU image; the GPU compute environment takes it through "
                        + GPU_AMI_SSM_PARAMETER.fullKey();
            } else if (!variant.architecture().equals(ce.architecture()) && !ce.architecture().equals("unknown")) {
                return Optional.of(new ConfigProblem(List.of(key, ce.keys().instanceTypes()), ConfigProblem.of(key,
                        name, "an " + variant.architecture() + " image, but " + ce.keys().instanceTypes().fullKey()
                                + " are " + ce.architecture() + "; expected " + example).message()));
            }
        }
        return Optional.ofNullable(why).map(w -> ConfigProblem.of(key, name, w + "; expected " + example
                + " or a parameter of your own"));
    }

    private static final String IAM_NAME_RULE = "letters, digits and _+=,.@-";

    private static void iam(Settings.Iam iam, List<ConfigProblem> problems) {
        var partitions = "PARTITION one of " + AwsRegions.partitions();
        iam.permissionsBoundaryArn().filter(arn -> !AwsFormats.isPolicyArn(arn)).ifPresent(arn -> problems.add(
                ConfigProblem.of(IAM_PERMISSIONS_BOUNDARY_ARN, arn, kindHint(arn, "policy", "a permissions boundary is "
                        + "a managed policy") + "expected a managed policy ARN: arn:PARTITION:iam::ACCOUNT:policy/"
                        + "[PATH/]NAME (e.g. arn:aws:iam::123456789012:policy/genomics-boundary), or AWS's "
                        + "arn:PARTITION:iam::aws:policy/NAME; PATH parts and NAME (1-128) of " + IAM_NAME_RULE + "; "
                        + partitions)));
        if (!AwsFormats.isRolePath(iam.rolePath())) {
            problems.add(ConfigProblem.of(IAM_ROLE_PATH, iam.rolePath(), "expected an IAM path: \"/\" alone, or "
                    + "starting and ending with '/' with printable ASCII characters ('!' to '~', no spaces) between, "
                    + "at most " + AwsFormats.MAX_IAM_PATH + " characters, e.g. /genomics/"));
        }
        iam.instanceProfileArn().filter(arn -> !AwsFormats.isInstanceProfileArn(arn)).ifPresent(arn -> problems.add(
                ConfigProblem.of(INSTANCE_PROFILE_ARN, arn, kindHint(arn, "instance-profile", "Batch launches hosts "
                        + "with an instance profile, not a role (`aws iam list-instance-profiles-for-role --role-name "
                        + "NAME` prints the profile of a role)") + "expected an instance profile ARN: "
                        + "arn:PARTITION:iam::ACCOUNT:instance-profile/[PATH/]NAME (NAME 1-128 " + IAM_NAME_RULE
                        + "); " + partitions)));
        for (var key : List.of(JOB_ROLE_ARN, HEAD_JOB_ROLE_ARN)) {
            var arn = key == JOB_ROLE_ARN ? iam.jobRoleArn() : iam.headJobRoleArn();
            arn.filter(a -> !AwsFormats.isRoleArn(a)).ifPresent(a -> problems.add(ConfigProblem.of(key, a,
                    kindHint(a, "role", "jobs run as a role") + "expected a role ARN: arn:PARTITION:iam::ACCOUNT:"
                            + "role/[PATH/]NAME (NAME 1-64 " + IAM_NAME_RULE + "); " + partitions)));
        }
        // Hosts launch with an instance profile of their own account, and a role passed to a job is of the same account.
        var byAccount = new java.util.TreeMap<String, List<ConfigKey>>();
        var keys = List.of(INSTANCE_PROFILE_ARN, JOB_ROLE_ARN, HEAD_JOB_ROLE_ARN);
        var arns = List.of(iam.instanceProfileArn(), iam.jobRoleArn(), iam.headJobRoleArn());
        for (var i = 0; i < keys.size(); i++) {
            var key = keys.get(i);
            arns.get(i).flatMap(AwsFormats::iamArnAccount)
                    .ifPresent(account -> byAccount.computeIfAbsent(account, a -> new ArrayList<>()).add(key));
        }
        if (byAccount.size() > 1) {
            var named = byAccount.values().stream().flatMap(List::stream).toList();
            problems.add(new ConfigProblem(named, named.stream().map(ConfigKey::fullKey).collect(Collectors.joining(
                    ", ")) + ": got ARNs of accounts " + byAccount.entrySet().stream().map(e -> e.getKey() + " ("
                    + e.getValue().stream().map(ConfigKey::key).collect(Collectors.joining(", ")) + ")")
                    .collect(Collectors.joining(", ")) + "; expected one account, the stack's: EC2 launches hosts "
                    + "with an instance profile of its own account, and a role passed to a job is the account's own"));
        }
    }

    /** "this is a role ARN, and ..." when a well-formed ARN names another kind of IAM thing than wanted. */
    private static String kindHint(String arn, String wanted, String why) {
        return AwsFormats.iamArnKind(arn).filter(kind -> !kind.equals(wanted))
                .map(kind -> "this ARN names " + (kind.equals("instance-profile") ? "an instance profile"
                        : kind.equals("oidc-provider") ? "an OIDC provider" : "a " + kind) + ", and " + why + "; ")
                .orElse("");
    }

    private static void kmsKeys(List<String> arns, List<ConfigProblem> problems) {
        listProblem(DATA_KMS_KEY_ARNS, arns, arn -> AwsFormats.isKmsKeyArn(arn)
                ? AwsFormats.kmsKeyRegionProblem(arn).map(why -> new Unfit(Optional.empty(),
                        "not a KMS key ARN AWS could issue: " + why))
                : Unfit.of(AwsFormats.kmsKeyHint(arn).orElse("not a KMS key ARN")), fit -> Optional.empty(),
                "expected KMS key ARNs, each once: arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID (a key ID is a UUID or "
                        + "mrk- and 32 hex digits), e.g. arn:aws:kms:us-east-1:123456789012:key/"
                        + "1234abcd-12ab-34cd-56ef-1234567890ab").ifPresent(problems::add);
    }

    /**
     * One problem per bad key (its key, else its value), then keys that collide in cost reports, then
     * the count: all before anything is registered.
     */
    private static void tags(java.util.Map<String, String> tags, List<ConfigProblem> problems) {
        var good = new ArrayList<String>();
        tags.forEach((key, value) -> {
            var keyProblem = ResourceTags.keyProblem(key);
            if (keyProblem.isPresent()) {
                problems.add(ConfigProblem.of(TAGS, key, "not usable as a tag key: " + keyProblem.get()));
                return;
            }
            good.add(key);
            ResourceTags.valueProblem(value).ifPresent(why -> problems.add(new ConfigProblem(List.of(TAGS),
                    TAGS.fullKey() + "." + key + ": got " + ConfigProblem.render(value) + "; not usable as a tag "
                            + "value: " + why)));
        });
        for (var group : ResourceTags.collisions(good)) {
            problems.add(ConfigProblem.of(TAGS, group, "these keys collide: AWS's cost reports write them as one"
                    + " column (camel case split with '_', lower case, other characters '_': CostCenter, costCenter,"
                    + " cost-center and cost_center are all cost_center), or they differ only in case, which IAM"
                    + " does not tell apart; keep one"));
        }
        if (tags.size() > ResourceTags.MAX_STACK_TAGS) {
            problems.add(new ConfigProblem(List.of(TAGS), TAGS.fullKey() + ": got " + tags.size() + " tags; expected at most "
                    + ResourceTags.MAX_STACK_TAGS + ": AWS allows " + ResourceTags.MAX_TAGS_PER_RESOURCE
                    + " per resource, and instances and volumes carry genomics-batch's own "
                    + ResourceTags.OWN_KEYS));
        }
    }

    /** AWS Batch ShareAttributes and FairsharePolicy (API reference), as pulumi-aws 6.83.0 validates them. */
    public static final int MAX_SHARES = 500;
    public static final double MIN_WEIGHT = 0.0001;
    public static final double MAX_WEIGHT = 999.9999;
    public static final int MAX_SHARE_DECAY_SECONDS = 604_800;
    public static final int MAX_COMPUTE_RESERVATION = 99;
    /**
     * AWS: up to 255 letters and digits, which may be followed by '*' (a prefix). The provider's check
     * ({@code ^[0-9A-Za-z]{0,254}[0-9A-Za-z*]?$}) counts the '*' among the 255, so this does too; an empty
     * identifier is not one (AWS requires it).
     */
    static final Pattern SHARE_IDENTIFIER = Pattern.compile("[A-Za-z0-9]{1,255}|[A-Za-z0-9]{0,254}\\*");

    /**
     * The shares, each rule once: identifiers AWS refuses, weights out of range, overlapping identifiers, too
     * many; then the two numbers. The shared queue needs at least one share: a group may submit to it only
     * through its share's submitter policy.
     */
    private static void fairShare(Settings.Environment s, List<ConfigProblem> problems) {
        var f = s.fairShare();
        if (!f.enabled()) {
            s.queue(Lineup.SHARED_QUEUE).ifPresent(q -> problems.add(new ConfigProblem(List.of(FAIR_SHARE),
                    "queue \"" + q.name() + "\" is the fair-share queue, but " + FAIR_SHARE.fullKey() + " is not set")));
            return;
        }
        var key = FAIR_SHARE.fullKey();
        var shares = f.shares();
        if (shares.isEmpty()) {
            problems.add(new ConfigProblem(List.of(FAIR_SHARE), key + ".shares: got none; expected 1 to " + MAX_SHARES
                    + " shares ({id, weight}): a group submits to the shared queue through its share's submitter "
                    + "policy only"));
        }
        if (shares.size() > MAX_SHARES) {
            problems.add(new ConfigProblem(List.of(FAIR_SHARE), key + ".shares: got " + shares.size()
                    + " shares; expected at most " + MAX_SHARES + " (AWS Batch: no more than " + MAX_SHARES
                    + " share identifiers in a job queue)"));
        }
        var badIds = shares.stream().map(Settings.FairShare.Share::id)
                .filter(id -> !SHARE_IDENTIFIER.matcher(id).matches()).distinct().toList();
        if (!badIds.isEmpty()) {
            problems.add(new ConfigProblem(List.of(FAIR_SHARE), key + ".shares: ids " + ConfigProblem.render(badIds)
                    + " are not share identifiers; expected 1-255 characters, letters and digits (A-Z, a-z, 0-9), "
                    + "of which the last may be '*' to give every identifier starting with the rest this weight "
                    + "(e.g. labA, or lab*)"));
        }
        var badWeights = shares.stream().filter(sh -> !(sh.weight() >= MIN_WEIGHT && sh.weight() <= MAX_WEIGHT))
                .map(sh -> sh.id() + ": " + java.math.BigDecimal.valueOf(sh.weight()).stripTrailingZeros()
                        .toPlainString()).toList();
        if (!badWeights.isEmpty()) {
            problems.add(new ConfigProblem(List.of(FAIR_SHARE), key + ".shares: weights " + badWeights
                    + " are out of range; expected " + MIN_WEIGHT + " to " + MAX_WEIGHT + " (AWS Batch; a lower "
                    + "weight gets more: 0.5 gets twice the compute of 1)"));
        }
        var overlapping = new ArrayList<String>();
        for (var i = 0; i < shares.size(); i++) {
            for (var j = i + 1; j < shares.size(); j++) {
                if (shares.get(i).overlaps(shares.get(j))) {
                    overlapping.add(shares.get(i).id() + " and " + shares.get(j).id());
                }
            }
        }
        if (!overlapping.isEmpty()) {
            problems.add(new ConfigProblem(List.of(FAIR_SHARE), key + ".shares: " + String.join(", ",
                    overlapping.subList(0, Math.min(overlapping.size(), ConfigProblem.MAX_SHOWN_ITEMS)))
                    + (overlapping.size() > ConfigProblem.MAX_SHOWN_ITEMS ? " and " + (overlapping.size()
                    - ConfigProblem.MAX_SHOWN_ITEMS) + " more pairs" : "") + " overlap; expected identifiers "
                    + "that AWS Batch can tell apart: each once, and none starting with the part before another's "
                    + "'*' (lab* covers lab and labA)"));
        }
        if (f.shareDecaySeconds() < 0 || f.shareDecaySeconds() > MAX_SHARE_DECAY_SECONDS) {
            problems.add(new ConfigProblem(List.of(FAIR_SHARE), key + ".shareDecaySeconds: got "
                    + f.shareDecaySeconds() + "; expected 0 (AWS's default window, 600 s) to "
                    + MAX_SHARE_DECAY_SECONDS + " (a week)"));
        }
        if (f.computeReservation() < 0 || f.computeReservation() > MAX_COMPUTE_RESERVATION) {
            problems.add(new ConfigProblem(List.of(FAIR_SHARE), key + ".computeReservation: got "
                    + f.computeReservation() + "; expected 0 (nothing held back) to " + MAX_COMPUTE_RESERVATION
                    + " (% of the queue's vCPUs held back for shares not yet active)"));
        }
        if (s.queue(Lineup.SHARED_QUEUE).isEmpty()) {
            problems.add(new ConfigProblem(List.of(FAIR_SHARE), key + " is set, but the settings have no queue "
                    + "named \"" + Lineup.SHARED_QUEUE + "\" to put the scheduling policy on (typed settings: "
                    + "build the queues with config.Lineup, which adds it)"));
        }
    }

    private static void range(ConfigKey key, int value, int min, int max, String unit, List<ConfigProblem> problems) {
        if (value < min || value > max) {
            var allowed = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
            problems.add(ConfigProblem.of(key, value, "expected an integer " + allowed + unit));
        }
    }
}
