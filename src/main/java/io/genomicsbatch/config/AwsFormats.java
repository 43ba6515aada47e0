package io.genomicsbatch.config;

import java.util.List;
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

    /** p2, p3, p3dn, g2, g3, g3s: GPUs AWS Batch does not support on ECS_AL2023_NVIDIA. */
    private static final Pattern OLD_GPU_FAMILY = Pattern.compile("p2|p3|p3dn|g2|g3|g3s");

    /** KMS key IDs: a UUID, or mrk- and 32 hex digits (multi-Region keys). */
    private static final String KEY_ID_FORMAT =
            "(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
    private static final Pattern KEY_ID = Pattern.compile(KEY_ID_FORMAT);
    /** KMS key ARNs (not alias ARNs: IAM key policies match the key ARN). */
    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws(?:-[a-z]+)*:kms:[a-z]+(?:-[a-z]+)+-[0-9]+:"
            + "[0-9]{12}:key/" + KEY_ID_FORMAT);

    /** AWS Batch instance type categories accepted in {@code instanceTypes}, with their architecture. */
    static final List<String> CATEGORIES = List.of("optimal", "default_x86_64", "default_arm64");

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

    /** Whether an offered instance type or family has GPUs (categories never do), as the catalog says. */
    static boolean isGpuType(String instanceType) {
        return !CATEGORIES.contains(instanceType)
                && InstanceCatalog.ec2().family(instanceType).flatMap(InstanceCatalog.Family::gpu).isPresent();
    }

    /** "g5: NVIDIA A10G" for a GPU family or type. */
    static String gpuOf(String instanceType) {
        return family(instanceType) + ": " + InstanceCatalog.ec2().family(instanceType)
                .flatMap(InstanceCatalog.Family::gpu).orElse("no GPU");
    }

    /**
     * Why the ECS_AL2023_NVIDIA AMI cannot run a GPU family, if it cannot: it carries NVIDIA's driver
     * only and is built for x86_64 (GPU makers and architectures from the catalog), and AWS Batch does
     * not support the oldest GPU generations on it.
     */
    static Optional<String> nvidiaAmiUnsupported(String instanceType) {
        var family = InstanceCatalog.ec2().family(instanceType).orElseThrow();
        if (!family.gpuManufacturer().orElse("").equals("NVIDIA")) {
            return Optional.of(family.name() + " has " + family.gpu().orElse("no") + " GPUs, and the AMI carries the "
                    + "NVIDIA driver only");
        }
        if (!family.architecture().equals("x86_64")) {
            return Optional.of(family.name() + " is " + family.architecture() + ", and the AMI is built for x86_64 only");
        }
        if (OLD_GPU_FAMILY.matcher(family.name()).matches()) {
            return Optional.of("AWS Batch does not support " + family.name()
                    + " on the AMI (its driver dropped these GPUs)");
        }
        return Optional.empty();
    }

    /** The NVIDIA GPU families the ECS_AL2023_NVIDIA AMI can run, from the catalog: what a GPU key allows. */
    static List<String> nvidiaAmiFamilies() {
        return InstanceCatalog.ec2().families().stream()
                .filter(f -> f.offered() && f.gpu().isPresent())
                .map(InstanceCatalog.Family::name)
                .filter(f -> nvidiaAmiUnsupported(f).isEmpty())
                .toList();
    }

    /**
     * How many instance types a list stands for: a size counts 1, a family its sizes in the catalog
     * (every region's, so a region may offer fewer). Categories expand inside Batch and count 0.
     */
    static int expansion(List<String> instanceTypes) {
        return instanceTypes.stream().filter(t -> !CATEGORIES.contains(t))
                .mapToInt(t -> InstanceCatalog.ec2().instanceTypes(t)).sum();
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

    /**
     * Why a well-formed key ARN cannot name a key: its region is no AWS region, or belongs to another
     * partition than the ARN's (a key in cn-north-1 is arn:aws-cn:kms:...).
     */
    static Optional<String> kmsKeyRegionProblem(String arn) {
        var parts = arn.split(":", 6);
        var partition = parts[1];
        var region = parts[3];
        var notARegion = AwsRegions.notARegion(region);
        if (notARegion.isPresent()) {
            return Optional.of("its region \"" + region + "\" is " + notARegion.get());
        }
        var regionPartition = AwsRegions.region(region).orElseThrow().partition();
        if (!regionPartition.equals(partition)) {
            return Optional.of("its region " + region + " is in partition " + regionPartition + ", so the ARN starts "
                    + "arn:" + regionPartition + ":kms:" + region + ":");
        }
        return Optional.empty();
    }

    /** A hint for values that are almost a key ARN: an alias, a bare key ID. */
    static Optional<String> kmsKeyHint(String s) {
        // The value is echoed into a command or an example only when it is short, plain text.
        var echo = s.length() <= 256 && s.chars().allMatch(c -> c > 32 && c < 127);
        if (s.contains(":alias/") || s.startsWith("alias/")) {
            return Optional.of("give the key ARN (arn:...:key/KEY-ID), not an alias: IAM matches kms actions on "
                    + "the key ARN; `aws kms describe-key --key-id " + (echo ? s : "ALIAS") + "` prints it");
        }
        if (!s.startsWith("arn:")) {
            return Optional.of("give the full key ARN, e.g. arn:aws:kms:us-east-1:123456789012:key/"
                    + (echo && KEY_ID.matcher(s).matches() ? s : "1234abcd-12ab-34cd-56ef-1234567890ab"));
        }
        return Optional.empty();
    }

    /** An instance type or family some region offers, or a Batch category. */
    static boolean isInstanceType(String s) {
        return CATEGORIES.contains(s) || InstanceCatalog.ec2().offers(s);
    }

    /** "arm64" or "x86_64" (or a Mac's architecture) for an offered instance type, family or category. */
    static String architecture(String instanceType) {
        if (instanceType.equals("default_arm64")) {
            return "arm64";
        }
        if (CATEGORIES.contains(instanceType)) {
            return "x86_64";
        }
        return InstanceCatalog.ec2().family(instanceType).map(InstanceCatalog.Family::architecture).orElse("unknown");
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
