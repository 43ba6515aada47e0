package io.genomicsbatch.cost;

import com.google.gson.JsonParser;
import io.genomicsbatch.App;
import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.plan.Plan;
import io.genomicsbatch.plan.PlanEngine;
import io.genomicsbatch.plan.PlanRenderer;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The plan's cost forecast, checked against prices the test reads from the committed table itself. */
class CostForecastTest {

    /** The table's rows, read here with a parser of the test's own: region TAB item -> USD. */
    private static final Map<String, Double> TABLE = table();

    private static Map<String, Double> table() {
        try (var in = CostForecastTest.class.getResourceAsStream("/io/genomicsbatch/cost/prices.tsv")) {
            var prices = new HashMap<String, Double>();
            var lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.startsWith("region\t")).toList();
            for (var l : lines) {
                var c = l.split("\t");
                prices.put(c[0] + " " + c[1], Double.parseDouble(c[3]));
            }
            return prices;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static double price(String item) {
        return TABLE.get("us-east-1 " + item);
    }

    private static final String SMALL = """
            config:
              aws:region: us-east-1
              genomics-batch:instanceTypes: [m6i.large, r6i.large]
              genomics-batch:spotMaxVcpus: 4
              genomics-batch:spotBidPercentage: 50
              genomics-batch:onDemandMinVcpus: 2
              genomics-batch:onDemandMaxVcpus: 2
              genomics-batch:scratchVolumeGiB: 20
              genomics-batch:scratchMaxGiB: 40
            """;

    private static Plan plan(Path dir, String stackYaml) throws IOException {
        TestStacks.project(dir, "small", stackYaml);
        return PlanEngine.run("small", () -> StackFiles.load(dir, "small"), f -> ctx -> App.deploy(ctx, f.source()));
    }

    @Test
    void worstCaseAndIdleFloorOfASmallStackAreComputedFromTheTable(@TempDir Path dir) throws IOException {
        var plan = plan(dir, SMALL);
        // r6i.large is the dearer per vCPU of the two sizes; Spot at 50 % of it.
        var perVcpu = price("r6i.large") / 2;
        assertThat(perVcpu).isGreaterThan(price("m6i.large") / 2);
        var gib = price("ebs:gp3-storage");
        var throughput = price("ebs:gp3-throughput");
        // Each host: a 50 GiB root, a 20 GiB data volume at 3000 IOPS (free) and 250 MiB/s (125 above the
        // baseline); grown to 40 GiB: one more 20 GiB volume, same IOPS and throughput.
        var dataVolume = 20 * gib + 125 * throughput;
        var hostInitial = (50 * gib + dataVolume) / 730;
        var hostGrown = (50 * gib + 2 * dataVolume) / 730;
        // Spot: 4 vCPUs, 2 hosts of 2 vCPUs; On-Demand: 2 vCPUs, 1 host.
        var compute = 4 * perVcpu * 0.5 + 2 * perVcpu;
        var f = plan.forecast();
        assertThat(f.unknown()).isEmpty();
        assertThat(f.worstCaseUsdPerHour()).isCloseTo(compute + 3 * hostInitial, within(1e-9));
        assertThat(f.worstCaseUsdPerHourAtMaxStorage()).isCloseTo(compute + 3 * hostGrown, within(1e-9));
        assertThat(f.computeEnvironments()).extracting(CostForecast.EnvironmentCost::name, e -> e.hosts(),
                e -> e.dearestType()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("spot", 2, "r6i.large"),
                org.assertj.core.groups.Tuple.tuple("on-demand", 1, "r6i.large"));
        // Idle: the On-Demand minVcpus (2 vCPUs, one host with its volumes) all month; an empty log group.
        var idle = (2 * perVcpu + hostInitial) * 730;
        assertThat(f.idleFloorUsdPerMonth()).isCloseTo(idle, within(1e-9));

        var json = JsonParser.parseString(PlanRenderer.render(plan, PlanRenderer.Format.JSON)).getAsJsonObject()
                .getAsJsonObject("forecast");
        assertThat(json.get("worstCaseUsdPerHour").getAsDouble()).isCloseTo(compute + 3 * hostInitial, within(1e-4));
        assertThat(json.get("worstCaseUsdPerHourAtMaxStorage").getAsDouble())
                .isCloseTo(compute + 3 * hostGrown, within(1e-4));
        assertThat(json.get("idleFloorUsdPerMonth").getAsDouble()).isCloseTo(idle, within(1e-4));
        assertThat(json.get("priceDate").getAsString()).isEqualTo(PriceTable.shipped().date());
        assertThat(json.get("region").getAsString()).isEqualTo("us-east-1");

        var text = PlanRenderer.render(plan, PlanRenderer.Format.TEXT);
        var date = PriceTable.shipped().date();
        assertThat(text).contains("Worst case per hour (prices of " + date + ", us-east-1): "
                + String.format(java.util.Locale.ROOT, "$%.2f", compute + 3 * hostInitial))
                .contains("Idle floor per month (prices of " + date + ", us-east-1): "
                        + String.format(java.util.Locale.ROOT, "$%.2f", idle))
                .contains("spot: 4 vCPUs x $0.0315/vCPU-hour (r6i.large, Spot at its cap: 50% of On-Demand)");
    }

    @Test
    void aFamilyWithoutPricesIsReportedNotGuessed(@TempDir Path dir) throws IOException {
        var plan = plan(dir, SMALL.replace("[m6i.large, r6i.large]", "[c5, r6i.large]"));
        var f = plan.forecast();
        assertThat(f.worstCaseUsdPerHour()).isNull();
        assertThat(f.worstCaseUsdPerHourAtMaxStorage()).isNull();
        assertThat(f.idleFloorUsdPerMonth()).isNull();
        assertThat(f.unknown()).containsExactly("unknown price for c5 in us-east-1 (price table of "
                + PriceTable.shipped().date() + ")");
        assertThat(PlanRenderer.render(plan, PlanRenderer.Format.TEXT))
                .contains("Worst case per hour (prices of " + PriceTable.shipped().date() + ", us-east-1): unknown")
                .contains("  ! unknown: unknown price for c5 in us-east-1");
        var json = JsonParser.parseString(PlanRenderer.render(plan, PlanRenderer.Format.JSON)).getAsJsonObject()
                .getAsJsonObject("forecast");
        assertThat(json.get("worstCaseUsdPerHour").isJsonNull()).isTrue();
    }

    @Test
    void aRegionWithoutPricesIsReported(@TempDir Path dir) throws IOException {
        var plan = plan(dir, SMALL.replace("us-east-1", "eu-north-1"));
        assertThat(plan.forecast().worstCaseUsdPerHour()).isNull();
        assertThat(plan.forecast().idleFloorUsdPerMonth()).isNull();
        assertThat(plan.forecast().unknown()).first().asString()
                .startsWith("every price in eu-north-1: the price table of ").endsWith(" covers us-east-1");
    }

    @Test
    void aResourceTypeTheModelDoesNotKnowLeavesTheIdleFloorUnknown() {
        var settings = ConfigReader.defaults();
        var known = CostForecast.of(settings, Optional.of("us-east-1"), PriceTable.shipped(),
                List.of("aws:cloudwatch/logGroup:LogGroup", "aws:kms/key:Key", "aws:sns/topic:Topic",
                        "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/metricAlarm:MetricAlarm",
                        "aws:cloudwatch/dashboard:Dashboard"));
        assertThat(known.idleFloorUsdPerMonth()).isCloseTo(price("kms:key") + 2 * price("cloudwatch:alarm")
                + price("cloudwatch:dashboard"), within(1e-9));
        var unknown = CostForecast.of(settings, Optional.of("us-east-1"), PriceTable.shipped(),
                List.of("aws:cloudwatch/logGroup:LogGroup", "aws:sfn/stateMachine:StateMachine"));
        assertThat(unknown.idleFloorUsdPerMonth()).isNull();
        assertThat(unknown.unknown()).singleElement().asString()
                .startsWith("idle cost of aws:sfn/stateMachine:StateMachine");
    }

    /** Every resource the shipped fixture stacks register is priced while idle or known to be free. */
    @Test
    void everyRegisteredResourceTypeIsInTheCostModel() {
        for (var stack : List.of("dev", "prod", "efs", "fsx", "boot")) {
            var plan = PlanEngine.run(stack, () -> StackFiles.load(TestStacks.PROJECT_DIR, stack),
                    f -> ctx -> App.deploy(ctx, f.source()));
            assertThat(plan.forecast().unknown()).as(stack).isEmpty();
            assertThat(plan.forecast().idleFloorUsdPerMonth()).as(stack).isNotNull();
        }
    }

    /** FSx for Lustre bills its provisioned size whatever is used; EFS bills what it stores, which the plan cannot know. */
    @Test
    void aSharedFileSystemIsPricedByItsKind() {
        var fsx = PlanEngine.run("fsx", () -> StackFiles.load(TestStacks.PROJECT_DIR, "fsx"),
                f -> ctx -> App.deploy(ctx, f.source())).forecast();
        var lustre = fsx.idle().stream().filter(c -> c.what().startsWith("1 FSx for Lustre")).findFirst().orElseThrow();
        // The fixture: 2400 GiB PERSISTENT_2 at 250 MB/s per TiB.
        assertThat(lustre.usdPerMonth()).isCloseTo(2400 * price("fsx:lustre-PERSISTENT_2-250"), within(1e-9));
        assertThat(lustre.what()).contains("2400 GiB PERSISTENT_2, 250 MB/s per TiB");
        var scratch = CostForecast.of(new io.genomicsbatch.config.Settings.Environment(ConfigReader.defaults().network(),
                        ConfigReader.defaults().computeEnvironments(), ConfigReader.defaults().queues(), 240,
                        ConfigReader.defaults().storage(), ConfigReader.defaults().hosts(), ConfigReader.defaults().data(),
                        90, false, Map.of(), io.genomicsbatch.config.Settings.Alerts.NONE,
                        io.genomicsbatch.config.Settings.Budget.NONE, io.genomicsbatch.config.Settings.PrivateNetworking.NONE,
                        io.genomicsbatch.engines.SpotRetries.NONE, io.genomicsbatch.config.Settings.RegistryCache.NONE,
                        io.genomicsbatch.config.Settings.Amis.NONE, io.genomicsbatch.config.Settings.Groups.NONE,
                        io.genomicsbatch.config.Settings.Iam.NONE, io.genomicsbatch.config.Settings.FairShare.NONE,
                        new io.genomicsbatch.config.Settings.SharedFileSystem(
                        Optional.of(io.genomicsbatch.config.FileSystemType.FSX_LUSTRE), Optional.empty(), "/fsx",
                        java.util.OptionalInt.empty(), Optional.empty(), java.util.OptionalInt.empty(), Optional.empty(),
                        Optional.empty())),
                Optional.of("us-east-1"), PriceTable.shipped(), List.of("aws:fsx/lustreFileSystem:LustreFileSystem"));
        assertThat(scratch.idleFloorUsdPerMonth()).isCloseTo(1200 * price("fsx:lustre-SCRATCH_2"), within(1e-9));
        var efs = PlanEngine.run("efs", () -> StackFiles.load(TestStacks.PROJECT_DIR, "efs"),
                f -> ctx -> App.deploy(ctx, f.source())).forecast();
        assertThat(efs.idle()).filteredOn(c -> c.what().startsWith("1 EFS file system")).singleElement()
                .satisfies(c -> {
                    assertThat(c.usdPerMonth()).isZero();
                    assertThat(c.basis()).startsWith("0 GB assumed").contains("$" + price("efs:standard-storage"));
                });
        assertThat(efs.unknown()).isEmpty();
    }

    /** The storage grows as 40-storage-growth.sh adds volumes: as large as what is there, up to the cap. */
    @Test
    void grownVolumesDoubleTheStorageUpToTheCap() {
        var storage = ConfigReader.read(ConfigSource.of(Map.of("scratchVolumeGiB", "100", "scratchMaxGiB", "700",
                "scratchVolumeIops", "6000"))).orThrow().storage();
        assertThat(CostForecast.grownDataVolumes(storage)).containsExactly(
                new CostForecast.Volume(100, 6000, 250), new CostForecast.Volume(100, 6000, 250),
                new CostForecast.Volume(200, 6000, 250), new CostForecast.Volume(300, 6000, 250));
        var small = ConfigReader.read(ConfigSource.of(Map.of("scratchVolumeGiB", "4", "scratchMaxGiB", "10")))
                .orThrow().storage();
        // 4 GiB allows at most 2000 IOPS: gp3's floor of 3000 holds, throughput at most IOPS / 4.
        assertThat(CostForecast.grownDataVolumes(small)).containsExactly(
                new CostForecast.Volume(4, 3000, 250), new CostForecast.Volume(4, 3000, 250),
                new CostForecast.Volume(2, 3000, 250));
    }
}
