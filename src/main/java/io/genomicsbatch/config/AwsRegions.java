package io.genomicsbatch.config;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWS regions of every partition, as the dated catalog {@value #RESOURCE} lists them (botocore's
 * endpoints.json, see {@code .ci/catalog/generate.py}). The AWS provider skips region validation by
 * default (pulumi-aws 6.83.0: {@code aws:skipRegionValidation} is true), so a typo such as
 * {@code eu-west1} would otherwise surface as a failed API call halfway through an update.
 */
public final class AwsRegions {
    static final String RESOURCE = "aws-regions.tsv";

    /**
     * @param partition the ARN partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...)
     * @param batch     whether AWS Batch has an endpoint there
     */
    public record Region(String name, String partition, boolean batch, String description) {
    }

    private static final CatalogFile FILE = CatalogFile.read(RESOURCE, 4);
    private static final Map<String, Region> REGIONS = new LinkedHashMap<>();

    static {
        for (var row : FILE.rows()) {
            REGIONS.put(row.get(0), new Region(row.get(0), row.get(1), row.get(2).equals("yes"), row.get(3)));
        }
    }

    private AwsRegions() {
    }

    public static Optional<Region> region(String name) {
        return Optional.ofNullable(REGIONS.get(name));
    }

    public static List<Region> regions() {
        return List.copyOf(REGIONS.values());
    }

    public static String date() {
        return FILE.date();
    }

    /** Whether AWS has this partition (the partitions of the catalog's regions). */
    static boolean isPartition(String partition) {
        return REGIONS.values().stream().anyMatch(r -> r.partition().equals(partition));
    }

    /** The partitions AWS has, for messages. */
    static List<String> partitions() {
        return REGIONS.values().stream().map(Region::partition).distinct().toList();
    }

    /** The longest partition name, for sizing what AWS could write into a policy. */
    public static String longestPartition() {
        return REGIONS.values().stream().map(Region::partition).max(Comparator.comparingInt(String::length))
                .orElseThrow();
    }

    /** The longest region name. */
    public static String longestRegion() {
        return REGIONS.keySet().stream().max(Comparator.comparingInt(String::length)).orElseThrow();
    }

    /**
     * Why a value is not a region AWS Batch runs in, naming the nearest regions; empty for a good one.
     * Every region of the catalog has a Batch endpoint today; the check keeps it so.
     */
    static Optional<String> batchRegionProblem(String value) {
        var region = REGIONS.get(value);
        if (region != null && !region.batch()) {
            return Optional.of("AWS Batch has no endpoint in " + value + " (AWS region list of " + date() + ")");
        }
        return notARegion(value);
    }

    /** Why a value is not a region of any partition, naming the nearest ones; empty for a region. */
    static Optional<String> notARegion(String value) {
        if (REGIONS.containsKey(value)) {
            return Optional.empty();
        }
        var closest = CatalogFile.closest(value, List.copyOf(REGIONS.keySet()), n -> n, 3);
        return Optional.of("not an AWS region (AWS region list of " + date() + ": " + REGIONS.size()
                + " regions in " + REGIONS.values().stream().map(Region::partition).distinct().count()
                + " partitions" + (closest.isEmpty() ? "" : "; closest: " + String.join(", ", closest))
                + "); expected a region code such as us-east-1 or eu-west-1");
    }
}
