package io.genomicsbatch.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

import static io.genomicsbatch.config.ConfigKey.DATA_BUCKET_NAMES;
import static io.genomicsbatch.config.ConfigKey.DEFAULT_QUEUE_PRIORITY;
import static io.genomicsbatch.config.ConfigKey.HIGH_PRIORITY_QUEUE_PRIORITY;
import static io.genomicsbatch.config.ConfigKey.INSTANCE_TYPES;
import static io.genomicsbatch.config.ConfigKey.ON_DEMAND_ALLOCATION_STRATEGY;
import static io.genomicsbatch.config.ConfigKey.ON_DEMAND_MAX_VCPUS;
import static io.genomicsbatch.config.ConfigKey.ON_DEMAND_MIN_VCPUS;
import static io.genomicsbatch.config.ConfigKey.RUNNABLE_TIMEOUT_MINUTES;
import static io.genomicsbatch.config.ConfigKey.SCRATCH_VOLUME_GIB;
import static io.genomicsbatch.config.ConfigKey.SPOT_ALLOCATION_STRATEGY;
import static io.genomicsbatch.config.ConfigKey.SPOT_BID_PERCENTAGE;
import static io.genomicsbatch.config.ConfigKey.SPOT_MAX_VCPUS;
import static io.genomicsbatch.config.ConfigKey.SPOT_MIN_VCPUS;
import static io.genomicsbatch.config.ConfigKey.SUBNET_IDS;
import static io.genomicsbatch.config.ConfigKey.VPC_ID;

/**
 * The rules typed settings must meet: AWS's limits and the field notes' rules. Used on config read
 * from a stack and on settings handed to the component directly, so both are checked alike.
 */
public final class SettingsValidator {
    private SettingsValidator() {
    }

    /** Job queue priority: AWS Batch accepts 0-1000; higher runs first. */
    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 1000;
    /** Spot price cap, as a percentage of the On-Demand price. */
    public static final int MIN_BID_PERCENTAGE = 1;
    public static final int MAX_BID_PERCENTAGE = 100;
    /** Job state time-limit actions: AWS Batch accepts 600-86400 s. */
    public static final int MIN_RUNNABLE_TIMEOUT_MINUTES = 10;
    public static final int MAX_RUNNABLE_TIMEOUT_MINUTES = 24 * 60;
    /** gp3 volume size: 1 GiB to 64 TiB. */
    public static final int MIN_SCRATCH_GIB = 1;
    public static final int MAX_SCRATCH_GIB = 65_536;
    /** Above this many vCPUs a cap likely exceeds the account's default EC2 vCPU quota. */
    public static final int TYPICAL_VCPU_QUOTA = 1024;

    /** Every problem with these settings; empty when they are valid. */
    public static List<ConfigProblem> problems(Settings.Environment s) {
        var problems = new ArrayList<ConfigProblem>();
        network(s.network(), problems);
        instanceTypes(s.instanceTypes(), problems);
        capacity(s.spot(), SPOT_MIN_VCPUS, SPOT_MAX_VCPUS, SPOT_ALLOCATION_STRATEGY, problems);
        capacity(s.onDemand(), ON_DEMAND_MIN_VCPUS, ON_DEMAND_MAX_VCPUS, ON_DEMAND_ALLOCATION_STRATEGY, problems);
        s.spot().bidPercentage().ifPresent(bid -> range(SPOT_BID_PERCENTAGE, bid, MIN_BID_PERCENTAGE,
                MAX_BID_PERCENTAGE, " (the Spot price cap as a percentage of the On-Demand price)", problems));
        queues(s.queues(), problems);
        range(SCRATCH_VOLUME_GIB, s.scratchVolumeGiB(), MIN_SCRATCH_GIB, MAX_SCRATCH_GIB,
                " GiB (the size limits of a gp3 volume)", problems);
        buckets(s.dataBucketNames(), problems);
        return problems;
    }

    /** Legal settings that users should know the cost of; one sentence each, naming the key. */
    public static List<String> warnings(Settings.Environment s) {
        var warnings = new ArrayList<String>();
        for (var c : List.of(s.spot(), s.onDemand())) {
            var strategyKey = c.type() == CapacityType.SPOT ? SPOT_ALLOCATION_STRATEGY : ON_DEMAND_ALLOCATION_STRATEGY;
            var maxKey = c.type() == CapacityType.SPOT ? SPOT_MAX_VCPUS : ON_DEMAND_MAX_VCPUS;
            var minKey = c.type() == CapacityType.SPOT ? SPOT_MIN_VCPUS : ON_DEMAND_MIN_VCPUS;
            if (c.allocationStrategy() == AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED) {
                warnings.add(strategyKey.fullKey() + " = SPOT_PRICE_CAPACITY_OPTIMIZED: pulumi-aws 6.83.0 replaces the "
                        + "compute environment on every change to its compute resources (terraform-provider-aws #38695); "
                        + "SPOT_CAPACITY_OPTIMIZED updates in place");
            } else if (c.allocationStrategy() == AllocationStrategy.BEST_FIT) {
                warnings.add(strategyKey.fullKey() + " = BEST_FIT: scales one instance type at a time and cannot be "
                        + "updated in place, so every change to its compute resources replaces the compute environment"
                        + (c.type() == CapacityType.SPOT ? "; it also needs a Spot fleet role, which is created" : ""));
            }
            if (s.protect() && !c.allocationStrategy().updatesInPlace()) {
                warnings.add(strategyKey.fullKey() + " = " + c.allocationStrategy() + " with "
                        + ConfigKey.PROTECT.fullKey() + " = true: a change that replaces the " + c.type().label()
                        + " compute environment fails while it is protected; unprotect, update, protect again");
            }
            if (c.maxVcpus() > TYPICAL_VCPU_QUOTA) {
                warnings.add(maxKey.fullKey() + " = " + c.maxVcpus() + ": above " + TYPICAL_VCPU_QUOTA
                        + " vCPUs, more than many accounts' default EC2 " + c.type().label() + " vCPU quota; "
                        + "check Service Quotas, or Batch stops scaling below the cap");
            }
            if (c.minVcpus() > 0) {
                warnings.add(minKey.fullKey() + " = " + c.minVcpus() + ": instances stay running (and billed) "
                        + "while the queues are empty; 0 scales to zero");
            }
        }
        if (s.network().vpcId().isPresent() && s.network().subnetIds().isEmpty()) {
            warnings.add(SUBNET_IDS.fullKey() + " is empty: every subnet of " + s.network().vpcId().get()
                    + " is used, public ones included; list private subnets to keep hosts off the internet");
        }
        s.dataBucketNames().stream()
                .filter(b -> AwsFormats.bucketName(b) == AwsFormats.BucketName.LEGACY)
                .forEach(b -> warnings.add(DATA_BUCKET_NAMES.fullKey() + ": \"" + b + "\" follows the legacy "
                        + "us-east-1 naming rules (capitals, underscores or over 63 characters); it is only valid "
                        + "for a bucket created there before 2018-03-01"));
        return warnings;
    }

    private static void network(Settings.Network n, List<ConfigProblem> problems) {
        n.vpcId().filter(id -> !AwsFormats.isVpcId(id)).ifPresent(id -> problems.add(ConfigProblem.of(VPC_ID, id,
                "expected a VPC ID: \"vpc-\" and 8 or 17 hex digits (e.g. vpc-0a1b2c3d4e5f67890), or \"\" for the "
                        + "region's default VPC")));
        var bad = n.subnetIds().stream().filter(id -> !AwsFormats.isSubnetId(id)).toList();
        if (!bad.isEmpty()) {
            problems.add(ConfigProblem.of(SUBNET_IDS, bad, "expected subnet IDs: \"subnet-\" and 8 or 17 hex digits "
                    + "(e.g. subnet-0a1b2c3d4e5f67890), or [] for every subnet of the VPC"));
        }
        duplicates(SUBNET_IDS, n.subnetIds(), problems);
    }

    private static void instanceTypes(List<String> types, List<ConfigProblem> problems) {
        if (types.isEmpty()) {
            problems.add(ConfigProblem.of(INSTANCE_TYPES, types, "expected at least one instance type, family "
                    + "(e.g. m6i) or category " + AwsFormats.CATEGORIES));
            return;
        }
        var bad = types.stream().filter(t -> !AwsFormats.isInstanceType(t)).toList();
        if (!bad.isEmpty()) {
            problems.add(ConfigProblem.of(INSTANCE_TYPES, bad, "expected EC2 instance types (e.g. m6i.2xlarge), "
                    + "families (e.g. r6i) or Batch categories " + AwsFormats.CATEGORIES + ", in lower case"));
            return;
        }
        duplicates(INSTANCE_TYPES, types, problems);
        var byArch = types.stream().collect(Collectors.groupingBy(AwsFormats::architecture,
                java.util.TreeMap::new, Collectors.toList()));
        if (byArch.size() > 1) {
            problems.add(ConfigProblem.of(INSTANCE_TYPES, types, "mixes architectures " + byArch
                    + "; a job queue's compute environments must share one architecture, so pick x86_64 or arm64"));
        }
    }

    private static void capacity(Settings.Capacity c, ConfigKey minKey, ConfigKey maxKey, ConfigKey strategyKey,
                                 List<ConfigProblem> problems) {
        range(minKey, c.minVcpus(), 0, Integer.MAX_VALUE, " vCPUs", problems);
        range(maxKey, c.maxVcpus(), 1, Integer.MAX_VALUE, " vCPUs (use a cap Batch can scale to)", problems);
        if (c.minVcpus() >= 0 && c.maxVcpus() >= 1 && c.minVcpus() > c.maxVcpus()) {
            problems.add(new ConfigProblem(List.of(minKey, maxKey), minKey.fullKey() + ": got " + c.minVcpus()
                    + ", above " + maxKey.fullKey() + " (" + c.maxVcpus() + "); expected " + minKey.key() + " <= "
                    + maxKey.key()));
        }
        if (!c.type().allowedStrategies().contains(c.allocationStrategy())) {
            problems.add(ConfigProblem.of(strategyKey, c.allocationStrategy().name(), "expected one of "
                    + c.type().allowedStrategies() + " for the " + c.type().label()
                    + " compute environment (SPOT_* strategies apply to Spot only)"));
        }
    }

    private static void queues(Settings.Queues q, List<ConfigProblem> problems) {
        var before = problems.size();
        range(DEFAULT_QUEUE_PRIORITY, q.defaultPriority(), MIN_PRIORITY, MAX_PRIORITY, "", problems);
        range(HIGH_PRIORITY_QUEUE_PRIORITY, q.highPriority(), MIN_PRIORITY, MAX_PRIORITY, "", problems);
        if (problems.size() == before && q.highPriority() <= q.defaultPriority()) {
            problems.add(new ConfigProblem(List.of(HIGH_PRIORITY_QUEUE_PRIORITY, DEFAULT_QUEUE_PRIORITY),
                    HIGH_PRIORITY_QUEUE_PRIORITY.fullKey() + ": got " + q.highPriority() + ", not above "
                            + DEFAULT_QUEUE_PRIORITY.fullKey() + " (" + q.defaultPriority() + "); expected "
                            + HIGH_PRIORITY_QUEUE_PRIORITY.key() + " > " + DEFAULT_QUEUE_PRIORITY.key()));
        }
        range(RUNNABLE_TIMEOUT_MINUTES, q.runnableTimeoutMinutes(), MIN_RUNNABLE_TIMEOUT_MINUTES,
                MAX_RUNNABLE_TIMEOUT_MINUTES, " minutes (AWS Batch time-limit actions take 600-86400 seconds)",
                problems);
    }

    private static void buckets(List<String> buckets, List<ConfigProblem> problems) {
        for (var b : buckets) {
            if (AwsFormats.bucketName(b) != AwsFormats.BucketName.INVALID) {
                continue;
            }
            var hint = AwsFormats.bucketHint(b).orElse("expected an S3 bucket name: 3-63 characters of a-z, 0-9, "
                    + "'.' and '-', starting and ending with a letter or digit, no '..', not an IP address, "
                    + "not using the reserved " + AwsFormats.reservedBucketAffixes());
            problems.add(ConfigProblem.of(DATA_BUCKET_NAMES, b, hint));
        }
        duplicates(DATA_BUCKET_NAMES, buckets, problems);
    }

    private static void range(ConfigKey key, int value, int min, int max, String unit, List<ConfigProblem> problems) {
        if (value < min || value > max) {
            var allowed = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
            problems.add(ConfigProblem.of(key, value, "expected an integer " + allowed + unit));
        }
    }

    private static void duplicates(ConfigKey key, List<String> values, List<ConfigProblem> problems) {
        var seen = new HashSet<String>();
        var repeated = new LinkedHashSet<String>();
        values.stream().filter(v -> !seen.add(v)).forEach(repeated::add);
        if (!repeated.isEmpty()) {
            problems.add(ConfigProblem.of(key, List.copyOf(repeated), "listed more than once; give each once"));
        }
    }
}
