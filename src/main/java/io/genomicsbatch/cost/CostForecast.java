package io.genomicsbatch.cost;

import io.genomicsbatch.config.CapacityType;
import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stack can cost, from the committed {@link PriceTable}, before anything is deployed.
 * <ul>
 * <li><b>Worst case per hour</b>: every compute environment at its {@code maxVcpus}, each vCPU at the
 * dearest $/vCPU-hour among the instance sizes it may launch (Spot at its price cap,
 * {@code bidPercentage} % of On-Demand), plus the volumes of the most hosts those vCPUs can be
 * (maxVcpus / the smallest size's vCPUs, rounded up): root and data volumes at the data volume's
 * initial size, and at the most the storage grows to (scratchMaxGiB, as the hosts' growth adds volumes).</li>
 * <li><b>Idle floor per month</b>: what bills with no job running: the minVcpus hosts (priced as the
 * worst case, so that a budget below the floor can be exceeded by idling alone), and each other
 * registered resource type that bills while idle. A resource type the model does not know is listed
 * as unknown, never counted as free.</li>
 * </ul>
 * A price the table lacks (region, family, Batch category) leaves the total it belongs to unknown (null).
 */
public record CostForecast(String priceDate, String priceSource, Optional<String> region,
                           List<EnvironmentCost> computeEnvironments, Double worstCaseUsdPerHour,
                           Double worstCaseUsdPerHourAtMaxStorage, List<IdleCost> idle, Double idleFloorUsdPerMonth,
                           List<String> unknown) {

    /** AWS's hours in a month for monthly prices (GiB-month and the like). */
    public static final int HOURS_PER_MONTH = 730;
    /** gp3's free baseline, per volume. */
    static final int GP3_BASE_IOPS = 3000;
    static final int GP3_BASE_THROUGHPUT = 125;

    public CostForecast {
        computeEnvironments = List.copyOf(computeEnvironments);
        idle = List.copyOf(idle);
        unknown = List.copyOf(unknown);
    }

    /**
     * One compute environment's worst case; numbers are null where a price is unknown.
     *
     * @param dearestType        the allowed size with the highest $/vCPU-hour
     * @param usdPerVcpuHour     its $/vCPU-hour, Spot at its cap
     * @param hosts              the most hosts maxVcpus can be: ceil(maxVcpus / smallestVcpus)
     * @param volumesUsdPerHour  those hosts' root and data volumes at the initial size
     * @param volumesUsdPerHourAtMaxStorage the same with each host's storage grown to its cap
     */
    public record EnvironmentCost(String name, CapacityType capacity, int minVcpus, int maxVcpus, int pricePercent,
                                  String dearestType, Double usdPerVcpuHour, Double computeUsdPerHour,
                                  Integer smallestVcpus, Integer hosts, Double volumesUsdPerHour,
                                  Double volumesUsdPerHourAtMaxStorage) {
    }

    /** One thing billed while idle; {@code usdPerMonth} null when its price is unknown. */
    public record IdleCost(String what, Double usdPerMonth, String basis) {
    }

    /** What registered resources of each type bill while no job runs, when it is nothing. */
    static final Map<String, String> FREE_WHILE_IDLE = Map.ofEntries(
            Map.entry("aws:batch/computeEnvironment:ComputeEnvironment", "billed through its hosts: minVcpus"),
            Map.entry("aws:batch/jobQueue:JobQueue", "no charge"),
            Map.entry("aws:batch/schedulingPolicy:SchedulingPolicy", "no charge (AWS Batch bills only the compute)"),
            Map.entry("aws:ec2/launchTemplate:LaunchTemplate", "no charge"),
            Map.entry("aws:ec2/securityGroup:SecurityGroup", "no charge"),
            Map.entry("aws:iam/role:Role", "no charge (IAM)"),
            Map.entry("aws:iam/policy:Policy", "no charge (IAM)"),
            Map.entry("aws:iam/rolePolicy:RolePolicy", "no charge (IAM)"),
            Map.entry("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "no charge (IAM)"),
            Map.entry("aws:iam/instanceProfile:InstanceProfile", "no charge (IAM)"),
            // Alerts (docs/alerts.md): billed per use (messages, events, automation steps), not while idle.
            Map.entry("aws:sns/topic:Topic", "billed per message"),
            Map.entry("aws:sns/topicSubscription:TopicSubscription", "billed per message"),
            Map.entry("aws:sns/topicPolicy:TopicPolicy", "no charge"),
            Map.entry("aws:cloudwatch/eventRule:EventRule", "AWS service events on the default bus: no charge"),
            Map.entry("aws:cloudwatch/eventTarget:EventTarget", "no charge"),
            Map.entry("aws:ssm/document:Document", "billed per automation step run"),
            Map.entry("aws:kms/alias:Alias", "no charge"),
            // ecrPullThroughCache: the rules and templates are free; the images they cache are not, but what is
            // cached depends on the workflows run, which no plan knows (docs/restricted-accounts.md).
            Map.entry("aws:ecr/pullThroughCacheRule:PullThroughCacheRule", "no charge; the images it caches are "
                    + "billed as ECR storage per GB-month, by what the workflows pull"),
            Map.entry("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", "no charge"),
            // AWS Budgets: a budget without actions is free; one with an action is priced by its action.
            Map.entry("aws:budgets/budget:Budget", "no charge (a budget without actions)"),
            // The shared file system's parts other than its storage (priced below).
            Map.entry("aws:efs/mountTarget:MountTarget", "no charge"),
            Map.entry("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "no charge"),
            Map.entry("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "no charge"),
            Map.entry("aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation",
                    "no charge (S3 bills its requests)"));
    /**
     * Resources billed by the month, each at one price of the table: KMS keys, CloudWatch alarms,
     * dashboards (the account's first three are free; counted here as if they were not), and budget actions
     * (one per budget: an action-enabled budget; the account's first two are free, counted as if not).
     */
    static final Map<String, PerResource> MONTHLY = Map.of(
            "aws:kms/key:Key", new PerResource(PriceTable.KMS_KEY, "KMS key(s)", "key-month"),
            "aws:cloudwatch/metricAlarm:MetricAlarm", new PerResource(PriceTable.ALARM, "CloudWatch alarm(s)",
                    "alarm-month (standard resolution)"),
            "aws:cloudwatch/dashboard:Dashboard", new PerResource(PriceTable.DASHBOARD, "CloudWatch dashboard(s)",
                    "dashboard-month (the account's first three are free)"),
            "aws:budgets/budgetAction:BudgetAction", new PerResource(PriceTable.ACTION_BUDGET,
                    "action-enabled budget(s)", "budget-month ($0.10 a day; the account's first two are free)"));

    record PerResource(String item, String what, String unit) {
    }
    static final String LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
    static final String EFS = "aws:efs/fileSystem:FileSystem";
    static final String LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem";
    static final String VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

    /**
     * The forecast for a stack's settings in {@code region}.
     *
     * @param resourceTypes the type of every resource the program registers (components excluded),
     *                      once per resource: each is priced while idle or reported unknown
     */
    public static CostForecast of(Settings.Environment settings, Optional<String> region, PriceTable prices,
                                  Collection<String> resourceTypes) {
        return of(settings, region, prices, resourceTypes, java.util.OptionalInt.empty());
    }

    /**
     * @param endpointZones the Availability Zones each interface endpoint is in (they share their subnets):
     *                      interface endpoints bill per endpoint and zone; empty: unknown, so is their cost
     */
    public static CostForecast of(Settings.Environment settings, Optional<String> region, PriceTable prices,
                                  Collection<String> resourceTypes, java.util.OptionalInt endpointZones) {
        var unknown = new ArrayList<String>();
        var label = " (price table of " + prices.date() + ")";
        if (region.isEmpty()) {
            unknown.add("every price: aws:region is not set" + label);
        } else if (!prices.regions().contains(region.get())) {
            unknown.add("every price in " + region.get() + ": the price table of " + prices.date()
                    + " covers " + String.join(", ", prices.regions()));
        }
        var r = region.filter(prices.regions()::contains).orElse("");
        var hostVolumes = hostVolumes(settings.storage(), prices, r, unknown, label);
        var environments = new ArrayList<EnvironmentCost>();
        for (var ce : settings.computeEnvironments()) {
            environments.add(environment(ce, r, prices, hostVolumes, unknown, label));
        }
        var compute = environments.stream().map(EnvironmentCost::computeUsdPerHour).toList();
        var worst = sum(compute, environments.stream().map(EnvironmentCost::volumesUsdPerHour).toList());
        var worstMax = sum(compute, environments.stream().map(EnvironmentCost::volumesUsdPerHourAtMaxStorage).toList());
        var idle = idle(settings, environments, hostVolumes, r, prices, resourceTypes, endpointZones, unknown, label);
        var floor = sum(idle.stream().map(IdleCost::usdPerMonth).toList(), List.of());
        return new CostForecast(prices.date(), prices.source(), region, environments, worst, worstMax, idle, floor,
                unknown.stream().distinct().toList());
    }

    /** A gp3 volume as the hosts have it. */
    record Volume(int gib, int iops, int throughput) {
    }

    /**
     * The data volumes one host ends with when its storage grows to the cap, as the storage-growth
     * daemon (40-storage-growth.sh) adds them: the launch template's volume, then volumes as large
     * as what is there (at least the initial size), up to the cap, each with the configured IOPS and
     * throughput as far as its size allows.
     */
    static List<Volume> grownDataVolumes(Settings.Storage storage) {
        var volumes = new ArrayList<Volume>();
        volumes.add(new Volume(storage.initialGiB(), storage.iops(), storage.throughputMiB()));
        long total = storage.initialGiB();
        while (total < storage.maxGiB()) {
            var grow = Math.min(Math.min(Math.max(total, storage.initialGiB()), storage.maxGiB() - total), 65536);
            var iops = (int) Math.max(GP3_BASE_IOPS, Math.min(grow * 500, storage.iops()));
            var throughput = Math.min(storage.throughputMiB(), iops / 4);
            volumes.add(new Volume((int) grow, iops, throughput));
            total += grow;
        }
        return volumes;
    }

    /** Per host, $/hour: [data volume at the initial size, the grown data volumes, one GiB]; nulls if unknown. */
    private static Double[] hostVolumes(Settings.Storage storage, PriceTable prices, String region,
                                        List<String> unknown, String label) {
        var gib = prices.price(region, PriceTable.GP3_STORAGE);
        var iops = prices.price(region, PriceTable.GP3_IOPS);
        var throughput = prices.price(region, PriceTable.GP3_THROUGHPUT);
        if (gib.isEmpty() || iops.isEmpty() || throughput.isEmpty()) {
            if (!region.isEmpty()) {
                unknown.add("gp3 volume prices in " + region + label);
            }
            return new Double[] {null, null, null};
        }
        java.util.function.ToDoubleFunction<Volume> monthly = v -> v.gib() * gib.get().usd()
                + Math.max(0, v.iops() - GP3_BASE_IOPS) * iops.get().usd()
                + Math.max(0, v.throughput() - GP3_BASE_THROUGHPUT) * throughput.get().usd();
        var data = grownDataVolumes(storage);
        var initial = monthly.applyAsDouble(data.get(0));
        var grown = data.stream().mapToDouble(monthly).sum();
        return new Double[] {initial / HOURS_PER_MONTH, grown / HOURS_PER_MONTH, gib.get().usd() / HOURS_PER_MONTH};
    }

    private static EnvironmentCost environment(Settings.ComputeEnvironmentSpec ce, String region, PriceTable prices,
                                               Double[] hostVolumes, List<String> unknown, String label) {
        var percent = ce.capacity() == CapacityType.SPOT ? ce.bidPercentage().orElse(100) : 100;
        var sizes = new ArrayList<PriceTable.Price>();
        var complete = !region.isEmpty();
        for (var entry : ce.instanceTypes()) {
            if (region.isEmpty()) {
                break;
            }
            var found = entry.contains(".") ? prices.price(region, entry).map(List::of).orElse(List.of())
                    : prices.family(region, entry);
            if (found.isEmpty()) {
                complete = false;
                unknown.add("unknown price for " + entry + " in " + region + (BATCH_CATEGORIES.contains(entry)
                        ? " (a Batch category: Batch picks its families)" : "") + label);
            }
            sizes.addAll(found);
        }
        if (!complete || sizes.isEmpty()) {
            return new EnvironmentCost(ce.name(), ce.capacity(), ce.minVcpus(), ce.maxVcpus(), percent, null, null,
                    null, null, null, null, null);
        }
        var dearest = sizes.stream().max(java.util.Comparator.comparingDouble(p -> p.usd() / p.vcpus())).orElseThrow();
        var perVcpu = dearest.usd() / dearest.vcpus() * percent / 100.0;
        var smallest = sizes.stream().mapToInt(PriceTable.Price::vcpus).min().orElseThrow();
        var hosts = ceilDiv(ce.maxVcpus(), smallest);
        // The root volume: the image type's size at gp3's baseline IOPS and throughput (no extra charge).
        var root = product(hostVolumes[2], ce.imageType().rootVolumeGiB());
        return new EnvironmentCost(ce.name(), ce.capacity(), ce.minVcpus(), ce.maxVcpus(), percent, dearest.item(),
                perVcpu, ce.maxVcpus() * perVcpu, smallest, hosts, product(plus(root, hostVolumes[0]), hosts),
                product(plus(root, hostVolumes[1]), hosts));
    }

    static final List<String> BATCH_CATEGORIES = List.of("optimal", "default_x86_64", "default_arm64");

    private static List<IdleCost> idle(Settings.Environment settings, List<EnvironmentCost> environments,
                                       Double[] hostVolumes, String region, PriceTable prices,
                                       Collection<String> resourceTypes, java.util.OptionalInt endpointZones,
                                       List<String> unknown, String label) {
        var idle = new ArrayList<IdleCost>();
        for (var e : environments) {
            if (e.minVcpus() == 0) {
                continue;
            }
            var hosts = e.smallestVcpus() == null ? null : ceilDiv(e.minVcpus(), e.smallestVcpus());
            // The environment's volumes per host at the initial size, for these hosts.
            var hourly = e.usdPerVcpuHour() == null || e.volumesUsdPerHour() == null ? null
                    : e.minVcpus() * e.usdPerVcpuHour() + hosts * e.volumesUsdPerHour() / e.hosts();
            idle.add(new IdleCost("compute environment " + e.name() + ": minVcpus " + e.minVcpus() + " kept running",
                    product(hourly, HOURS_PER_MONTH), hosts == null ? "unknown price"
                    : hosts + " host(s) (minVcpus / " + e.smallestVcpus() + " vCPUs, the smallest size) at "
                    + e.dearestType() + "'s $/vCPU-hour" + (e.capacity() == CapacityType.SPOT ? ", Spot at its cap" : "")
                    + ", with root and data volumes at the initial size"));
        }
        var counts = new LinkedHashMap<String, Integer>();
        resourceTypes.forEach(t -> counts.merge(t, 1, Integer::sum));
        var gateways = settings.network().s3GatewayEndpoint() || settings.privateNetworking().enabled() ? 1 : 0;
        for (var entry : counts.entrySet()) {
            var type = entry.getKey();
            var n = entry.getValue();
            switch (type) {
                case LOG_GROUP -> {
                    var price = prices.price(region, PriceTable.LOG_STORAGE);
                    idle.add(new IdleCost(n + " CloudWatch log group(s): stored logs", price.isPresent() ? 0.0 : null,
                            price.map(p -> "0 GB assumed (an empty group bills nothing); each GB kept adds $"
                                    + p.usd() + " a month, kept " + retention(settings.logRetentionDays()))
                                    .orElse("unknown price")));
                    if (price.isEmpty() && !region.isEmpty()) {
                        unknown.add("CloudWatch Logs storage price in " + region + label);
                    }
                }
                case VPC_ENDPOINT -> {
                    idle.add(new IdleCost(Math.min(n, gateways) + " S3 gateway endpoint(s)", 0.0,
                            "gateway endpoints have no charge"));
                    if (n > gateways) {
                        idle.add(interfaceEndpoints(n - gateways, endpointZones, region, prices, unknown, label));
                    }
                }
                case EFS -> {
                    // Billed by the bytes stored and moved, which the plan cannot know: 0 GB, with the rate.
                    var price = prices.price(region, PriceTable.EFS_STORAGE);
                    idle.add(new IdleCost(n + " EFS file system(s) (sharedFileSystem): stored data",
                            price.isPresent() ? 0.0 : null, price.map(p -> "0 GB assumed (billed by the data stored:"
                            + " each GB adds $" + p.usd() + " a month, Standard class; Elastic throughput bills each GB"
                            + " read and written)").orElse("unknown price")));
                    if (price.isEmpty() && !region.isEmpty()) {
                        unknown.add("EFS storage price in " + region + label);
                    }
                }
                case LUSTRE -> {
                    // Billed by the provisioned size, used or not.
                    var fs = settings.sharedFileSystem();
                    var item = PriceTable.lustreStorage(fs.lustreDeploymentType(), fs.perUnitStorageThroughput());
                    var price = prices.price(region, item);
                    idle.add(new IdleCost(n + " FSx for Lustre file system(s) (sharedFileSystem): " + fs.lustreGiB()
                            + " GiB " + fs.lustreDeploymentType() + (fs.lustreDeploymentType().persistent() ? ", "
                            + fs.perUnitStorageThroughput().orElse(0) + " MB/s per TiB" : ""),
                            price.map(p -> n * fs.lustreGiB() * p.usd()).orElse(null),
                            price.map(p -> "$" + p.usd() + " per GB-month provisioned, whether used or not")
                                    .orElse("unknown price")));
                    if (price.isEmpty() && !region.isEmpty()) {
                        unknown.add("FSx for Lustre price (" + item + ") in " + region + label);
                    }
                }
                default -> {
                    var monthly = MONTHLY.get(type);
                    if (monthly != null) {
                        var price = prices.price(region, monthly.item());
                        idle.add(new IdleCost(n + " " + monthly.what(), price.map(p -> n * p.usd()).orElse(null),
                                price.map(p -> "$" + p.usd() + " per " + monthly.unit()).orElse("unknown price")));
                        if (price.isEmpty() && !region.isEmpty()) {
                            unknown.add(monthly.what() + " price in " + region + label);
                        }
                        break;
                    }
                    if (!FREE_WHILE_IDLE.containsKey(type)) {
                        // Unknown is not free: the floor stays unknown until the model prices it.
                        idle.add(new IdleCost(n + " " + type, null, "not in the cost model"));
                        unknown.add("idle cost of " + type + " (not in the cost model)" + label);
                    }
                }
            }
        }
        return idle;
    }

    /** Interface endpoints: each bills every hour in each Availability Zone it is in, used or not. */
    private static IdleCost interfaceEndpoints(int endpoints, java.util.OptionalInt zones, String region,
                                               PriceTable prices, List<String> unknown, String label) {
        var price = prices.price(region, PriceTable.INTERFACE_ENDPOINT);
        var what = endpoints + " interface VPC endpoint(s)" + (zones.isPresent() ? " x " + zones.getAsInt()
                + " Availability Zone(s)" : " x unknown Availability Zones");
        if (price.isEmpty() || zones.isEmpty()) {
            if (!region.isEmpty()) {
                unknown.add("idle cost of " + endpoints + " interface VPC endpoint(s): "
                        + (price.isEmpty() ? "no price for " + PriceTable.INTERFACE_ENDPOINT + " in " + region
                        : "their Availability Zones are not known") + label);
            }
            return new IdleCost(what, null, price.map(p -> "$" + p.usd() + " per endpoint-AZ-hour").orElse("unknown price"));
        }
        var endpointHours = (double) endpoints * zones.getAsInt() * HOURS_PER_MONTH;
        return new IdleCost(what, endpointHours * price.get().usd(), "$" + price.get().usd() + " per endpoint per"
                + " Availability Zone per hour, " + HOURS_PER_MONTH + " hours; data processed adds a charge per GB");
    }

    private static String retention(int days) {
        return days == 0 ? "forever" : days + " days";
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static Double plus(Double a, Double b) {
        return a == null || b == null ? null : a + b;
    }

    private static Double product(Double value, double factor) {
        return value == null ? null : value * factor;
    }

    /** The sum, or null when any term is null. */
    private static Double sum(List<Double> a, List<Double> b) {
        var total = 0.0;
        for (var list : List.of(a, b)) {
            for (var v : list) {
                if (v == null) {
                    return null;
                }
                total += v;
            }
        }
        return total;
    }
}
