package io.genomicsbatch.cost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dated price table committed with the program ({@value #RESOURCE}, written by
 * {@code .ci/catalog/prices.py}): On-Demand $/hour and vCPUs per instance type, and the prices of
 * what else a stack bills, per region. A row that is not there is an unknown price, never zero.
 */
public final class PriceTable {
    static final String RESOURCE = "prices.tsv";
    /** Item names of the prices that are not instance hours. */
    static final String GP3_STORAGE = "ebs:gp3-storage";
    static final String GP3_IOPS = "ebs:gp3-iops";
    static final String GP3_THROUGHPUT = "ebs:gp3-throughput";
    static final String LOG_STORAGE = "logs:storage";
    static final String KMS_KEY = "kms:key";
    static final String ALARM = "cloudwatch:alarm";
    static final String DASHBOARD = "cloudwatch:dashboard";
    static final String ACTION_BUDGET = "budgets:action-enabled-budget";
    /** Per interface endpoint and Availability Zone it is in, per hour. */
    static final String INTERFACE_ENDPOINT = "privatelink:interface-endpoint";

    static final String EFS_STORAGE = "efs:standard-storage";

    /** An FSx for Lustre file system's $/GB-month: by deployment type and, when persistent, MB/s per TiB. */
    static String lustreStorage(io.genomicsbatch.config.LustreDeploymentType type, java.util.OptionalInt throughput) {
        return "fsx:lustre-" + type.name() + (type.persistent() ? "-" + throughput.orElse(0) : "");
    }

    /** One row: {@code vcpus} is 0 for what is not an instance type. */
    record Price(String region, String item, int vcpus, double usd, String unit) {
    }

    private static final PriceTable SHIPPED = parse(RESOURCE, load(RESOURCE));

    private final String date;
    private final String source;
    private final List<String> regions;
    private final Map<String, Price> prices;

    PriceTable(String date, String source, List<String> regions, List<Price> rows) {
        this.date = date;
        this.source = source;
        this.regions = List.copyOf(regions);
        var map = new LinkedHashMap<String, Price>();
        rows.forEach(p -> map.put(p.region() + "\t" + p.item(), p));
        this.prices = map;
    }

    /** The table in the jar. */
    public static PriceTable shipped() {
        return SHIPPED;
    }

    public String date() {
        return date;
    }

    public String source() {
        return source;
    }

    /** The regions the table has prices for. */
    public List<String> regions() {
        return regions;
    }

    Optional<Price> price(String region, String item) {
        return Optional.ofNullable(prices.get(region + "\t" + item));
    }

    /** The instance types of {@code family} priced in {@code region}, in table order. */
    List<Price> family(String region, String family) {
        return prices.values().stream()
                .filter(p -> p.region().equals(region) && p.vcpus() > 0 && p.item().startsWith(family + "."))
                .toList();
    }

    static String load(String resource) {
        try (var in = PriceTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("price table " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "# date:", "# source:" and "# regions:" headers, a line of column names, tab-separated rows. */
    static PriceTable parse(String name, String text) {
        String date = null;
        String source = null;
        List<String> regions = List.of();
        var header = true;
        var rows = new ArrayList<Price>();
        for (var line : text.split("\n")) {
            if (line.startsWith("# date: ")) {
                date = line.substring("# date: ".length()).trim();
            } else if (line.startsWith("# source: ")) {
                source = line.substring("# source: ".length()).trim();
            } else if (line.startsWith("# regions: ")) {
                regions = List.of(line.substring("# regions: ".length()).trim().split(" +"));
            } else if (line.startsWith("#") || line.isBlank()) {
                continue;
            } else if (header) {
                header = false;
            } else {
                var c = line.split("\t", -1);
                if (c.length != 6) {
                    throw new IllegalStateException("price table " + name + ": expected 6 columns in " + line);
                }
                rows.add(new Price(c[0], c[1], c[2].equals("-") ? 0 : Integer.parseInt(c[2]),
                        Double.parseDouble(c[3]), c[4]));
            }
        }
        if (date == null || source == null || regions.isEmpty() || rows.isEmpty()) {
            throw new IllegalStateException("price table " + name + " has no date, source, regions or rows");
        }
        return new PriceTable(date, source, regions, rows);
    }
}
