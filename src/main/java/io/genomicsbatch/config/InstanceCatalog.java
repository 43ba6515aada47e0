package io.genomicsbatch.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * EC2 instance families as the dated catalog {@value #RESOURCE} describes them (see
 * {@code .ci/catalog/generate.py}): every name the EC2 API knows (botocore's InstanceType enum), with
 * architectures and GPUs from EC2's DescribeInstanceTypes as moto recorded it. A name the API knows
 * is accepted even when the recording lacks it: AWS hides older types from newer accounts, so "not
 * recorded" does not mean "not offered". Only names the API does not know are refused.
 */
final class InstanceCatalog {
    static final String RESOURCE = "ec2-instance-types.tsv";

    /**
     * Graviton families (a "g" among the attribute letters after the generation: m6g, c7gn, is4gen;
     * and a1) and NVIDIA Grace ones ("-gb": p6e-gb200): the architecture of a family the recording lacks.
     */
    private static final Pattern ARM_NAME = Pattern.compile("a1|[a-z]+[0-9]+[a-z]*g[a-z]*|.*-gb[0-9]+");
    /**
     * G, GR and P families (and cg1, "cluster GPU") have GPUs: the GPU of a family the recording
     * lacks. All such families are NVIDIA's; the one AMD family, g4ad, is recorded.
     */
    private static final Pattern GPU_NAME = Pattern.compile("(?:cg|g|gr|p)[0-9]+[a-z]*(?:-[a-z0-9]+)*");

    /**
     * One family.
     *
     * @param architectures as EC2 reports them (x86_64, arm64; a few old families also i386; Macs x86_64_mac,
     *                      arm64_mac), or, when {@code recorded} is false, as {@link #ARM_NAME} reads the name
     * @param gpu           manufacturer and model ("NVIDIA A10G"), for GPU families; "NVIDIA" alone when read
     *                      from the name
     * @param sizes         every size the EC2 API names for the family
     * @param recorded      whether the recording described the family (else its facts come from its name)
     */
    record Family(String name, List<String> architectures, Optional<String> gpu, List<String> sizes,
                  boolean recorded) {

        /** The architecture Batch's 64-bit AMIs run (i386 is also listed for a few old families). */
        String architecture() {
            var archs = architectures.stream().filter(a -> !a.equals("i386")).toList();
            return archs.isEmpty() ? "unknown" : String.join("+", archs);
        }

        Optional<String> gpuManufacturer() {
            return gpu.map(g -> g.split(" ", 2)[0]);
        }

        /** EC2 Mac families (mac1, mac2, mac-m4, ...): x86_64_mac or arm64_mac. */
        boolean mac() {
            return name.startsWith("mac") || architectures.stream().anyMatch(a -> a.endsWith("_mac"));
        }
    }

    /** How a value relates to the catalog. */
    enum Match {
        /** A family, or a family's size, that the EC2 API knows. */
        KNOWN,
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
            var name = row.get(0);
            var architectures = CatalogFile.list(row.get(1));
            var recorded = !architectures.isEmpty();
            var gpu = row.get(2).equals("-") ? Optional.<String>empty() : Optional.of(row.get(2));
            if (!recorded) {
                architectures = List.of(ARM_NAME.matcher(name).matches() ? "arm64" : "x86_64");
                gpu = GPU_NAME.matcher(name).matches() ? Optional.of("NVIDIA") : Optional.empty();
            }
            var sizes = Stream.concat(CatalogFile.list(row.get(3)).stream(), CatalogFile.list(row.get(4)).stream())
                    .toList();
            families.put(name, new Family(name, architectures, gpu, sizes, recorded));
        }
    }

    static InstanceCatalog ec2() {
        return EC2;
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
        return parts.length == 1 || family.sizes().contains(parts[1]) ? Match.KNOWN : Match.UNKNOWN_SIZE;
    }

    boolean knows(String typeOrFamily) {
        return match(typeOrFamily) == Match.KNOWN;
    }

    /** How many instance types a family (every size the API names) or a type (1) stands for. */
    int instanceTypes(String typeOrFamily) {
        return typeOrFamily.contains(".") ? 1 : family(typeOrFamily).map(f -> f.sizes().size()).orElse(0);
    }

    /**
     * Why a value is not an instance type or family the EC2 API knows, with what is near it: the
     * sizes of its family, the lower-case spelling, or the closest family names (and {@code extra}
     * names, the Batch categories, which are as likely to be mistyped).
     */
    String whyNot(String value, List<String> extra) {
        if (match(value) == Match.UNKNOWN_SIZE) {
            var family = family(value).orElseThrow();
            return family.name() + " has sizes " + String.join(", ", family.sizes());
        }
        var stripped = value.strip();
        if (!stripped.equals(value) && (knows(stripped) || extra.contains(stripped))) {
            return "names have no spaces around them: " + stripped;
        }
        var lower = stripped.toLowerCase(Locale.ROOT);
        if (!lower.equals(stripped) && (knows(lower) || extra.contains(lower))) {
            return "names are lower case: " + lower;
        }
        var familyPart = lower.split("\\.", 2)[0];
        var candidates = new ArrayList<>(extra);
        candidates.addAll(families.keySet());
        var closest = CatalogFile.closest(value.contains(".") ? familyPart : lower, candidates, n -> n, 3);
        return "not an EC2 instance family or type" + (closest.isEmpty() ? ""
                : " (closest: " + closest.stream().collect(Collectors.joining(", ")) + ")");
    }
}
