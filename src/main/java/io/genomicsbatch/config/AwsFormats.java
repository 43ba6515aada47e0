package io.genomicsbatch.config;

import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** AWS identifier formats and limits, as AWS defines them (neither looser nor stricter). */
final class AwsFormats {
    private AwsFormats() {
    }

    /** EC2 resource IDs: the prefix, then 8 hex digits (older IDs) or 17 (IDs issued since 2016-2018). */
    private static final Pattern VPC_ID = Pattern.compile("vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern SUBNET_ID = Pattern.compile("subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-(?:[0-9a-f]{8}|[0-9a-f]{17})");

    /**
     * GPU families: G (graphics and inference: g4dn, g5, g5g, g6, g6e, gr6) and P (training: p4d,
     * p5, p6-b200, p6e-gb200). Other accelerators (inf, trn, dl, f, vt) are not GPUs.
     */
    private static final Pattern GPU_FAMILY = Pattern.compile("(?:g|gr|p)[0-9]+[a-z]*(?:-[a-z0-9]+)*");
    /** p2, p3, p3dn, g2, g3, g3s: GPUs AWS Batch does not support on ECS_AL2023_NVIDIA. */
    private static final Pattern OLD_GPU_FAMILY = Pattern.compile("p2|p3|p3dn|g2|g3|g3s");
    /** g4ad: AMD Radeon GPUs, which the NVIDIA AMI cannot drive. */
    private static final Pattern AMD_GPU_FAMILY = Pattern.compile("g4ad");

    /** KMS key ARNs (not alias ARNs: IAM key policies match the key ARN). Key IDs: a UUID, or mrk- and 32 hex digits. */
    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws(?:-[a-z]+)*:kms:[a-z]{2}(?:-[a-z]+)+-[0-9]+:"
            + "[0-9]{12}:key/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})");

    /** AWS Batch instance type categories accepted in {@code instanceTypes}, with their architecture. */
    static final List<String> CATEGORIES = List.of("optimal", "default_x86_64", "default_arm64");

    /**
     * EC2 instance type names: a family (lower-case letters and digits with at least one digit,
     * optional "-suffixes" as in m7i-flex, u-6tb1, p6-b200, mac-m4) and, optionally, "." and a size.
     */
    private static final Pattern INSTANCE_TYPE = Pattern.compile(
            "(?=[a-z0-9-]*[0-9])[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
                    + "(?:\\.(?:nano|micro|small|medium|large|[1-9][0-9]*xlarge|xlarge|metal(?:-[1-9][0-9]*xl)?))?");

    /**
     * Arm families: Graviton (attribute letters after the generation include "g": m6g, c7gn,
     * is4gen; and a1) and NVIDIA Grace (a "-gb" suffix: p6e-gb200).
     */
    private static final Pattern ARM_FAMILY = Pattern.compile("a1|[a-z]+[0-9]+[a-z]*g[a-z]*|.*-gb[0-9]+");

    /** General purpose bucket names (rules in force since 2018-03-01). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Buckets created in us-east-1 before 2018-03-01 may be up to 255 characters with capitals and underscores. */
    private static final Pattern LEGACY_BUCKET = Pattern.compile("[A-Za-z0-9._-]{3,255}");
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");
    private static final List<String> RESERVED_BUCKET_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_BUCKET_SUFFIXES =
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    static boolean isVpcId(String s) {
        return VPC_ID.matcher(s).matches();
    }

    static boolean isSubnetId(String s) {
        return SUBNET_ID.matcher(s).matches();
    }

    static boolean isSecurityGroupId(String s) {
        return SECURITY_GROUP_ID.matcher(s).matches();
    }

    /** Whether a valid instance type or family is a GPU one (categories never are). */
    static boolean isGpuType(String instanceType) {
        return !CATEGORIES.contains(instanceType) && GPU_FAMILY.matcher(family(instanceType)).matches();
    }

    /**
     * Why the ECS_AL2023_NVIDIA AMI cannot run a GPU family, if it cannot: it is x86_64 only, carries
     * NVIDIA's driver only, and AWS Batch does not support the oldest GPU generations on it.
     */
    static Optional<String> nvidiaAmiUnsupported(String instanceType) {
        var family = family(instanceType);
        if (AMD_GPU_FAMILY.matcher(family).matches()) {
            return Optional.of("g4ad has AMD Radeon GPUs, and the AMI carries the NVIDIA driver only");
        }
        if (ARM_FAMILY.matcher(family).matches()) {
            return Optional.of(family + " is arm64, and the AMI is built for x86_64 only");
        }
        if (OLD_GPU_FAMILY.matcher(family).matches()) {
            return Optional.of("AWS Batch does not support " + family + " on the AMI (its driver dropped these GPUs)");
        }
        return Optional.empty();
    }

    /**
     * Sizes per family for the families genomics stacks use most (EC2 instance type pages, bare
     * metal included); any other family counts {@value #MIN_SIZES_PER_FAMILY}, fewer than current
     * families have, so the estimate never overstates.
     */
    private static final Map<String, Integer> SIZES_PER_FAMILY = Map.ofEntries(
            Map.entry("c5", 9), Map.entry("m5", 9), Map.entry("r5", 9),
            Map.entry("c6i", 10), Map.entry("m6i", 10), Map.entry("r6i", 10),
            Map.entry("c6a", 11), Map.entry("m6a", 11), Map.entry("r6a", 11),
            Map.entry("c6g", 9), Map.entry("m6g", 9), Map.entry("r6g", 9),
            Map.entry("c7i", 11), Map.entry("m7i", 11), Map.entry("r7i", 11),
            Map.entry("c7a", 12), Map.entry("m7a", 12), Map.entry("r7a", 12),
            Map.entry("c7g", 9), Map.entry("m7g", 9), Map.entry("r7g", 9));
    static final int MIN_SIZES_PER_FAMILY = 8;

    /**
     * How many instance types a list can expand to, at least: a size counts 1, a family its sizes.
     * Categories expand inside Batch and count 0.
     */
    static int minimumExpansion(List<String> instanceTypes) {
        return instanceTypes.stream().filter(t -> !CATEGORIES.contains(t))
                .mapToInt(t -> t.contains(".") ? 1 : SIZES_PER_FAMILY.getOrDefault(t, MIN_SIZES_PER_FAMILY)).sum();
    }

    /** A1, the first Graviton family, which Amazon Linux 2023 does not support. */
    static boolean isA1(String instanceType) {
        return family(instanceType).equals("a1");
    }

    private static String family(String instanceType) {
        return instanceType.split("\\.", 2)[0];
    }

    static boolean isKmsKeyArn(String s) {
        return KMS_KEY_ARN.matcher(s).matches();
    }

    /** A hint for values that are almost a key ARN: an alias, a bare key ID. */
    static Optional<String> kmsKeyHint(String s) {
        if (s.contains(":alias/") || s.startsWith("alias/")) {
            return Optional.of("give the key ARN (arn:...:key/KEY-ID), not an alias: IAM matches kms actions on "
                    + "the key ARN; `aws kms describe-key --key-id " + s + "` prints it");
        }
        if (!s.startsWith("arn:")) {
            return Optional.of("give the full key ARN, e.g. arn:aws:kms:us-east-1:123456789012:key/" + s);
        }
        return Optional.empty();
    }

    static boolean isInstanceType(String s) {
        return CATEGORIES.contains(s) || INSTANCE_TYPE.matcher(s).matches();
    }

    /** "arm64" or "x86_64" for a valid instance type, family or category. */
    static String architecture(String instanceType) {
        if (instanceType.equals("default_arm64")) {
            return "arm64";
        }
        if (CATEGORIES.contains(instanceType)) {
            return "x86_64";
        }
        return ARM_FAMILY.matcher(family(instanceType)).matches() ? "arm64" : "x86_64";
    }

    enum BucketName { VALID, LEGACY, INVALID }

    static BucketName bucketName(String s) {
        if (isCurrentBucketName(s)) {
            return BucketName.VALID;
        }
        var legacyOnly = !s.toLowerCase(Locale.ROOT).equals(s) || s.contains("_") || s.length() > 63;
        return legacyOnly && LEGACY_BUCKET.matcher(s).matches() ? BucketName.LEGACY : BucketName.INVALID;
    }

    private static boolean isCurrentBucketName(String s) {
        return BUCKET.matcher(s).matches()
                && !s.contains("..")
                && !IP_ADDRESS.matcher(s).matches()
                && RESERVED_BUCKET_PREFIXES.stream().noneMatch(s::startsWith)
                && RESERVED_BUCKET_SUFFIXES.stream().noneMatch(s::endsWith);
    }

    /** A hint for values that are almost a bucket name: a URI, an ARN, a directory bucket. */
    static Optional<String> bucketHint(String s) {
        if (s.startsWith("s3://") || s.startsWith("arn:")) {
            return Optional.of("give the bare bucket name, without s3:// or arn:...:::");
        }
        if (s.endsWith("--x-s3")) {
            return Optional.of("directory buckets (--x-s3) need s3express permissions, which the job role does not grant");
        }
        if (s.contains("/")) {
            return Optional.of("give the bucket name only; access is granted to the whole bucket");
        }
        return Optional.empty();
    }

    static String reservedBucketAffixes() {
        return "prefixes " + RESERVED_BUCKET_PREFIXES + ", suffixes " + RESERVED_BUCKET_SUFFIXES;
    }
}
