package io.genomicsbatch.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * EC2 instance families as the dated catalog {@value #RESOURCE} describes them: their sizes,
 * architectures and GPUs, from EC2's own DescribeInstanceTypes (see {@code .ci/catalog/generate.py}).
 * AWS Batch refuses an instance type it does not know, so the checks refuse what is not here, and
 * take architecture and GPU facts from here rather than from the shape of a name.
 */
final class InstanceCatalog {
    static final String RESOURCE = "ec2-instance-types.tsv";

    /**
     * One family.
     *
     * @param architectures as EC2 reports them (x86_64, arm64; a few old families also i386; Macs x86_64_mac, arm64_mac)
     * @param gpu           manufacturer and model ("NVIDIA A10G"), for GPU families
     * @param sizes         sizes some region offers
     * @param apiOnlySizes  sizes the EC2 API names that no region of the catalog offers (retired, Local Zones only)
     */
    record Family(String name, List<String> architectures, Optional<String> gpu, List<String> sizes,
                  List<String> apiOnlySizes) {
        boolean offered() {
            return !sizes.isEmpty();
        }

        /** The architecture Batch's 64-bit AMIs run (i386 is also listed for a few old families). */
        String architecture() {
            var archs = architectures.stream().filter(a -> !a.equals("i386")).toList();
            return archs.isEmpty() ? "unknown" : String.join("+", archs);
        }

        Optional<String> gpuManufacturer() {
            return gpu.map(g -> g.split(" ", 2)[0]);
        }
    }

    /** How a value relates to the catalog. */
    enum Match {
        /** A family, or a family's size, that some region offers. */
        OFFERED,
        /** A name the EC2 API knows, but no region of the catalog offers. */
        NOT_OFFERED,
        /** A known family with a size it does not have. */
        UNKNOWN_SIZE,
        /** Not a family at all. */
        UNKNOWN
    }

    private static final InstanceCatalog EC2 = new InstanceCatalog(CatalogFile.read(RESOURCE, 5));

    private final CatalogFile file;
    private final Map<String, Family> families = new LinkedHashMap<>();

    private InstanceCatalog(CatalogFile file) {
        this.file = file;
        for (var row : file.rows()) {
            var gpu = row.get(2).equals("-") ? Optional.<String>empty() : Optional.of(row.get(2));
            families.put(row.get(0), new Family(row.get(0), CatalogFile.list(row.get(1)), gpu,
                    CatalogFile.list(row.get(3)), CatalogFile.list(row.get(4))));
        }
    }

    static InstanceCatalog ec2() {
        return EC2;
    }

    String date() {
        return file.date();
    }

    /** "the EC2 catalog of DATE", for messages. */
    String label() {
        return "the EC2 catalog of " + file.date();
    }

    Optional<Family> family(String typeOrFamily) {
        return Optional.ofNullable(families.get(typeOrFamily.split("\\.", 2)[0]));
    }

    List<Family> families() {
        return List.copyOf(families.values());
    }

    Match match(String typeOrFamily) {
        var parts = typeOrFamily.split("\\.", 2);
        var family = families.get(parts[0]);
        if (family == null) {
            return Match.UNKNOWN;
        }
        if (parts.length == 1) {
            return family.offered() ? Match.OFFERED : Match.NOT_OFFERED;
        }
        if (family.sizes().contains(parts[1])) {
            return Match.OFFERED;
        }
        return family.apiOnlySizes().contains(parts[1]) ? Match.NOT_OFFERED : Match.UNKNOWN_SIZE;
    }

    boolean offers(String typeOrFamily) {
        return match(typeOrFamily) == Match.OFFERED;
    }

    /** How many instance types a family (its sizes) or a type (1) stands for. */
    int instanceTypes(String typeOrFamily) {
        return typeOrFamily.contains(".") ? 1 : family(typeOrFamily).map(f -> f.sizes().size()).orElse(0);
    }

    /**
     * Why a value is not an offered instance type or family, with what is near it: the sizes of its
     * family, the lower-case spelling, or the closest family names (and {@code extra} names, the
     * Batch categories, which are as likely to be mistyped).
     */
    String whyNot(String value, List<String> extra) {
        switch (match(value)) {
            case NOT_OFFERED:
                return "the EC2 API knows this name, but no region offers it (retired, or Local Zones only)";
            case UNKNOWN_SIZE: {
                var family = family(value).orElseThrow();
                return family.name() + " has sizes " + String.join(", ", family.sizes());
            }
            default:
                break;
        }
        var stripped = value.strip();
        if (!stripped.equals(value) && (offers(stripped) || extra.contains(stripped))) {
            return "names have no spaces around them: " + stripped;
        }
        var lower = stripped.toLowerCase(Locale.ROOT);
        if (!lower.equals(stripped) && (offers(lower) || extra.contains(lower))) {
            return "names are lower case: " + lower;
        }
        var familyPart = lower.split("\\.", 2)[0];
        var candidates = new java.util.ArrayList<>(extra);
        families.values().stream().filter(Family::offered).map(Family::name).forEach(candidates::add);
        var closest = CatalogFile.closest(value.contains(".") ? familyPart : lower, candidates, n -> n, 3);
        return "not an EC2 instance family or type" + (closest.isEmpty() ? ""
                : "; closest: " + closest.stream().collect(Collectors.joining(", ")));
    }
}
