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
    private static final Pattern AMI_ID = Pattern.compile("ami-(?:[0-9a-f]{8}|[0-9a-f]{17})");

    /**
     * SSM parameter names as PutParameter defines them: letters, digits and _ . - in levels separated by
     * '/', at most 15 levels; 1011 characters at most. Names here are fully qualified ('/'-rooted), as
     * AWS's public parameters are.
     */
    private static final Pattern SSM_PARAMETER_LEVEL = Pattern.compile("[A-Za-z0-9_.-]+");
    static final int MAX_SSM_PARAMETER_LEVELS = 15;
    static final int MAX_SSM_PARAMETER_LENGTH = 1011;

    static boolean isAmiId(String s) {
        return AMI_ID.matcher(s).matches();
    }

    static boolean isSsmParameterName(String s) {
        if (!s.startsWith("/") || s.length() > MAX_SSM_PARAMETER_LENGTH) {
            return false;
        }
        var levels = s.substring(1).split("/", -1);
        return levels.length <= MAX_SSM_PARAMETER_LEVELS
                && java.util.Arrays.stream(levels).allMatch(l -> SSM_PARAMETER_LEVEL.matcher(l).matches());
    }

    /**
     * GPU families ECS_AL2023_NVIDIA does not run: AWS Batch documents that it does not support p3 and g3
     * instance types (p3dn and g3s among them); p2, g2 and cg1 have older GPUs still.
     */
    private static final Pattern OLD_GPU_FAMILY = Pattern.compile("p2|p3|p3dn|g2|g3|g3s|cg1");
    private static final Pattern DOCUMENTED_OLD_GPU_FAMILY = Pattern.compile("p3|p3dn|g3|g3s");

    /** KMS key IDs: a UUID, or mrk- and 32 hex digits (multi-Region keys). */
    private static final String KEY_ID_FORMAT =
            "(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
    private static final Pattern KEY_ID = Pattern.compile(KEY_ID_FORMAT);
    /** KMS key ARNs (not alias ARNs: IAM key policies match the key ARN). */
    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws(?:-[a-z]+)*:kms:[a-z]+(?:-[a-z]+)+-[0-9]+:"
            + "[0-9]{12}:key/" + KEY_ID_FORMAT);

    /**
     * SNS topic ARNs: arn:PARTITION:sns:REGION:ACCOUNT:NAME, the name 1-256 letters, digits, '-' and '_'
     * (a FIFO topic's ends in ".fifo", within the 256).
     */
    private static final Pattern SNS_TOPIC_ARN = Pattern.compile("arn:aws(?:-[a-z]+)*:sns:[a-z]{2}(?:-[a-z]+)+-[0-9]+:"
            + "[0-9]{12}:(?=[A-Za-z0-9_.-]{1,256}$)[A-Za-z0-9_-]+(?:\\.fifo)?");

    /**
     * E-mail addresses a mail server delivers to (RFC 5321/5322 dot-atom form): a local part of at most 64
     * characters of letters, digits and !#$%&'*+/=?^_`{|}~- with single dots inside, '@', and a domain of
     * at least two labels (letters, digits, inner '-'), at most 254 characters in all. SNS publishes no
     * rule of its own; it refuses what is not an address ("Invalid parameter: Email address").
     */
    private static final Pattern EMAIL = Pattern.compile("(?=.{3,254}$)(?=[^@]{1,64}@)"
            + "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /**
     * IAM paths of roles and instance profiles (CreateRole, CreateInstanceProfile): "/" alone, or '/' then
     * characters '!' to '~' then '/', 1-512 characters in all.
     */
    static final int MAX_IAM_PATH = 512;
    private static final String IAM_PATH = "/(?:[\\u0021-\\u007E]+/)?";
    private static final Pattern ROLE_PATH = Pattern.compile("(?=.{1," + MAX_IAM_PATH + "}$)" + IAM_PATH);
    /** Managed policy paths (CreatePolicy): "/" or /-separated parts of letters, digits and .,+@=_- */
    private static final String POLICY_PATH = "(?:/[A-Za-z0-9.,+@=_-]+)*/";
    /** IAM names (roles, instance profiles, policies) take letters, digits and _+=,.@- */
    private static final String IAM_NAME = "[A-Za-z0-9_+=,.@-]";
    /** arn:PARTITION:iam::ACCOUNT: a partition is "aws" or "aws-" and lower-case words. */
    private static final String IAM_ARN = "arn:(aws(?:-[a-z]+)*):iam::";
    /**
     * A permissions boundary: a managed policy, the customer's (12-digit account) or AWS's ("aws"), at most
     * 2048 characters (PermissionsBoundary's arnType).
     */
    private static final Pattern POLICY_ARN = Pattern.compile("(?=.{20,2048}$)" + IAM_ARN + "([0-9]{12}|aws)"
            + ":policy(" + POLICY_PATH + ")" + IAM_NAME + "{1,128}");
    private static final Pattern ROLE_ARN = Pattern.compile(IAM_ARN + "([0-9]{12}):role"
            + "(" + IAM_PATH + ")" + IAM_NAME + "{1,64}");
    private static final Pattern INSTANCE_PROFILE_ARN = Pattern.compile(IAM_ARN + "([0-9]{12}):instance-profile"
            + "(" + IAM_PATH + ")" + IAM_NAME + "{1,128}");

    static boolean isRolePath(String s) {
        return ROLE_PATH.matcher(s).matches();
    }

    static boolean isPolicyArn(String s) {
        return iamArn(POLICY_ARN, s);
    }

    static boolean isRoleArn(String s) {
        return iamArn(ROLE_ARN, s);
    }

    static boolean isInstanceProfileArn(String s) {
        return iamArn(INSTANCE_PROFILE_ARN, s);
    }

    /** An ARN of this shape (group 1 the partition, 3 the path), in a partition AWS has, its path at most 512 characters. */
    private static boolean iamArn(Pattern pattern, String s) {
        var m = pattern.matcher(s);
        return m.matches() && m.group(3).length() <= MAX_IAM_PATH && AwsRegions.isPartition(m.group(1));
    }

    private static String partitionOf(String arn) {
        return arn.split(":", 3)[1];
    }

    /** The partition of a well-formed IAM ARN (policy, role or instance profile). */
    static Optional<String> iamArnPartition(String arn) {
        return isPolicyArn(arn) || isRoleArn(arn) || isInstanceProfileArn(arn) ? Optional.of(partitionOf(arn))
                : Optional.empty();
    }

    /** The account of a well-formed role or instance profile ARN. */
    static Optional<String> iamArnAccount(String arn) {
        return isRoleArn(arn) || isInstanceProfileArn(arn) ? Optional.of(arn.split(":", 6)[4]) : Optional.empty();
    }

    /** Which IAM thing an ARN names, for a hint when it is the wrong one ("a role", "a user"...). */
    static Optional<String> iamArnKind(String arn) {
        var m = Pattern.compile("arn:[^:]*:iam::[^:]*:([a-z-]+)/.*").matcher(arn);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static boolean isEmailAddress(String s) {
        return EMAIL.matcher(s).matches();
    }

    static boolean isSnsTopicArn(String s) {
        return SNS_TOPIC_ARN.matcher(s).matches();
    }

    /** Why a well-formed topic ARN cannot name a topic: its region is none, or in another partition. */
    static Optional<String> snsTopicRegionProblem(String arn) {
        return regionProblem(arn, "sns");
    }

    /**
     * Secrets Manager secret ARNs: arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME, NAME (with the
     * random suffix Secrets Manager appends) of letters, digits and /_+=.@- as CreatePullThroughCacheRule's
     * {@code credentialArn} pattern allows.
     */
    private static final Pattern SECRET_ARN = Pattern.compile("arn:aws(?:-[a-z]+)*:secretsmanager:[a-z]{2}(?:-[a-z]+)+"
            + "-[0-9]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+");

    static boolean isSecretArn(String s) {
        return SECRET_ARN.matcher(s).matches();
    }

    /** Why a well-formed secret ARN cannot name a secret: its region is none, or in another partition. */
    static Optional<String> secretRegionProblem(String arn) {
        return regionProblem(arn, "secretsmanager");
    }

    /** The secret's name (after {@code :secret:}) of a well-formed secret ARN. */
    static String secretName(String arn) {
        return arn.substring(arn.indexOf(":secret:") + ":secret:".length());
    }

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

    /** The GPU of an instance type or family ("NVIDIA A10G"), as the catalog says; categories have none. */
    static Optional<String> gpu(String instanceType) {
        return CATEGORIES.contains(instanceType) ? Optional.empty()
                : InstanceCatalog.ec2().family(instanceType).flatMap(InstanceCatalog.Family::gpu);
    }

    /** The GPU as a message shows it: "NVIDIA A10G", or "NVIDIA, by its name" for a family the recording lacks. */
    static Optional<String> gpuFact(String instanceType) {
        var recorded = InstanceCatalog.ec2().family(instanceType).map(InstanceCatalog.Family::recorded).orElse(true);
        return gpu(instanceType).map(g -> recorded ? g : g + ", by its name");
    }

    /** Whether an instance type or family has NVIDIA GPUs, the ones ECS_AL2023_NVIDIA drives. */
    static boolean isNvidiaGpuType(String instanceType) {
        return gpu(instanceType).filter(g -> g.startsWith("NVIDIA")).isPresent();
    }

    /** EC2 Mac families: they run only on Dedicated Hosts. */
    static boolean isMac(String instanceType) {
        return !CATEGORIES.contains(instanceType)
                && InstanceCatalog.ec2().family(instanceType).filter(InstanceCatalog.Family::mac).isPresent();
    }

    /**
     * Why the ECS_AL2023_NVIDIA AMI cannot run a GPU family, if it cannot, in words that fit every family
     * it applies to: the AMI carries NVIDIA's driver only and is built for x86_64 (GPU makers and
     * architectures from the catalog), and AWS Batch does not support the oldest GPU generations on it.
     */
    static Optional<String> nvidiaAmiUnsupported(String instanceType) {
        var family = InstanceCatalog.ec2().family(instanceType).orElseThrow();
        if (!family.gpuManufacturer().orElse("").equals("NVIDIA")) {
            return Optional.of("GPUs of another maker than NVIDIA, and ECS_AL2023_NVIDIA carries the NVIDIA driver "
                    + "only (as CPU hosts they may go in " + ConfigKey.INSTANCE_TYPES.fullKey() + ")");
        }
        if (!family.architecture().equals("x86_64")) {
            return Optional.of(family.architecture() + ", and ECS_AL2023_NVIDIA is built for x86_64 only");
        }
        if (DOCUMENTED_OLD_GPU_FAMILY.matcher(family.name()).matches()) {
            return Optional.of("AWS Batch does not support p3 and g3 instance types on ECS_AL2023_NVIDIA");
        }
        if (OLD_GPU_FAMILY.matcher(family.name()).matches()) {
            return Optional.of("GPUs older than p3's and g3's, which AWS Batch does not support on ECS_AL2023_NVIDIA");
        }
        return Optional.empty();
    }

    /** The NVIDIA GPU families the ECS_AL2023_NVIDIA AMI can run, from the catalog: what a GPU key allows. */
    static List<String> nvidiaAmiFamilies() {
        return InstanceCatalog.ec2().families().stream()
                .map(InstanceCatalog.Family::name)
                .filter(f -> isNvidiaGpuType(f) && !isMac(f) && nvidiaAmiUnsupported(f).isEmpty())
                .toList();
    }

    /**
     * How many instance types a list stands for: a size counts 1, a family every size the EC2 API names
     * for it (a region may offer fewer). Categories expand inside Batch and count 0.
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
        return regionProblem(arn, "kms");
    }

    private static Optional<String> regionProblem(String arn, String service) {
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
                    + "arn:" + regionPartition + ":" + service + ":" + region + ":");
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

    /** An instance type or family the EC2 API knows, or a Batch category. */
    static boolean isInstanceType(String s) {
        return CATEGORIES.contains(s) || InstanceCatalog.ec2().knows(s);
    }

    /** "arm64" or "x86_64" (or a Mac's architecture) for a known instance type, family or category. */
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
