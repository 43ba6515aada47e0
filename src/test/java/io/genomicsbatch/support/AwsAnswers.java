package io.genomicsbatch.support;

import com.pulumi.test.Mocks;
import io.genomicsbatch.plan.Invokes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Answers like AWS's: IDs and ARNs in AWS's formats, a default VPC with three subnets, and a
 * launch template whose latest version is {@value #LAUNCH_TEMPLATE_VERSION} (so tests can tell a
 * wired version from a hard-coded one).
 */
public final class AwsAnswers implements Mocks, Invokes.Account {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    public static final String DEFAULT_VPC = "vpc-0d0d0d0d0d0d0d0d0";
    public static final List<String> DEFAULT_VPC_SUBNETS =
            List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3");
    public static final int LAUNCH_TEMPLATE_VERSION = 7;
    /** The mount name FSx gives a created Lustre file system here. */
    public static final String LUSTRE_MOUNT_NAME = "a1b2c3d4";

    /** Subnets per VPC in this fake account; a VPC not listed has the subnets named in the filter. */
    private final Map<String, List<String>> subnetsByVpc;
    private final List<String> invokes = Collections.synchronizedList(new ArrayList<>());

    public AwsAnswers() {
        this(Map.of(DEFAULT_VPC, DEFAULT_VPC_SUBNETS));
    }

    public AwsAnswers(Map<String, List<String>> subnetsByVpc) {
        this(subnetsByVpc, false);
    }

    /** Whether job queues get AWS's ARNs (job-queue/NAME) rather than ones named after their logical names. */
    private final boolean awsQueueArns;

    private AwsAnswers(Map<String, List<String>> subnetsByVpc, boolean awsQueueArns) {
        this.subnetsByVpc = subnetsByVpc;
        this.awsQueueArns = awsQueueArns;
    }

    /**
     * This account, with job queue ARNs as AWS writes them (from the queue's name): for policies written before
     * the queues exist (a brought head-job role's), which name the queues so.
     */
    public AwsAnswers withAwsQueueArns() {
        return new AwsAnswers(subnetsByVpc, true);
    }

    /** The ARN a resource gets: a role's or profile's with its path; a queue's by its name with {@link #withAwsQueueArns}. */
    public String arnOf(String type, String name, Map<String, Object> inputs) {
        if (inputs.get("path") instanceof String path) {
            return iamArn(type, name, path);
        }
        if (awsQueueArns && type.equals("aws:batch/jobQueue:JobQueue") && inputs.get("name") instanceof String queue) {
            return "arn:aws:batch:" + REGION + ":" + ACCOUNT + ":job-queue/" + queue;
        }
        return arn(type, name);
    }

    /** The ID a resource of this logical name gets. */
    public static String id(String name) {
        return name + "-id";
    }

    /** The ARN a resource of this type and logical name gets. */
    public static String arn(String type, String name) {
        var service = type.split("[:/]")[1];
        var kind = type.substring(type.lastIndexOf(':') + 1).replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
        var region = service.equals("iam") ? "" : REGION;
        return "arn:aws:" + service + ":" + region + ":" + ACCOUNT + ":" + kind + "/" + name;
    }

    /** A role's or instance profile's ARN, which carries its path as IAM writes it. */
    public static String iamArn(String type, String name, String path) {
        var plain = arn(type, name);
        var slash = plain.lastIndexOf('/');
        return plain.substring(0, slash) + path + plain.substring(slash + 1);
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        var state = new LinkedHashMap<String, Object>(args.inputs);
        state.put("arn", arnOf(args.type, args.name, args.inputs));
        state.putIfAbsent("name", args.name + "-generated");
        if (args.type.equals("aws:ec2/launchTemplate:LaunchTemplate")) {
            state.put("latestVersion", LAUNCH_TEMPLATE_VERSION);
        }
        // File systems' DNS names as AWS makes them (ID, service, region); FSx's mount name is its own.
        if (args.type.equals("aws:efs/fileSystem:FileSystem")) {
            state.put("dnsName", id(args.name) + ".efs." + REGION + ".amazonaws.com");
        }
        if (args.type.equals("aws:fsx/lustreFileSystem:LustreFileSystem")) {
            state.put("dnsName", id(args.name) + ".fsx." + REGION + ".amazonaws.com");
            state.put("mountName", LUSTRE_MOUNT_NAME);
        }
        return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id(args.name)), state));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        invokes.add(args.token);
        return CompletableFuture.completedFuture(Invokes.answer(args.token, args.args, this));
    }

    @Override
    public String vpc(Optional<String> requestedId) {
        return requestedId.orElse(DEFAULT_VPC);
    }

    /** A VPC not in this account has the subnets named in the filter (so any configured subnet is found). */
    @Override
    public List<String> subnets(String vpcId, Optional<List<String>> wanted) {
        var inVpc = subnetsByVpc.getOrDefault(vpcId, wanted.orElse(List.of()));
        return wanted.map(w -> w.stream().filter(inVpc::contains).toList()).orElse(inVpc);
    }

    @Override
    public String partition() {
        return "aws";
    }

    @Override
    public String accountId() {
        return ACCOUNT;
    }

    @Override
    public String region() {
        return REGION;
    }

    /** Each subnet has its own route table ("rtb-" + the subnet's suffix); the main one is "rtb-main". */
    @Override
    public List<String> routeTables(String vpcId, List<String> subnets, boolean main) {
        return main ? List.of(MAIN_ROUTE_TABLE) : subnets.stream().map(s -> "rtb-" + s.substring("subnet-".length())).toList();
    }

    public static final String MAIN_ROUTE_TABLE = "rtb-0mmmmmmmmmmmmmmm0";

    /** Subnets' facts that tests set; any other subnet is private, in a zone its last character picks (a-c). */
    private final Map<String, Invokes.SubnetFacts> subnetFacts = new java.util.concurrent.ConcurrentHashMap<>();

    /** This account with these subnets' zones and public-IP settings. */
    public AwsAnswers withSubnet(String id, String availabilityZone, boolean mapPublicIpOnLaunch) {
        subnetFacts.put(id, new Invokes.SubnetFacts(availabilityZone, mapPublicIpOnLaunch));
        return this;
    }

    @Override
    public Invokes.SubnetFacts subnet(String subnetId) {
        return subnetFacts.getOrDefault(subnetId, new Invokes.SubnetFacts(
                REGION + (char) ('a' + subnetId.charAt(subnetId.length() - 1) % 3), false));
    }

    /** The values of AWS's recommended ECS-optimized Amazon Linux 2023 parameters in this account. */
    public static final String RECOMMENDED_X86_64_AMI = "ami-01e2d3c4b5a6f7e80";
    public static final String RECOMMENDED_ARM64_AMI = "ami-0a4b3c2d1e0f9a8b7";
    public static final String RECOMMENDED_GPU_AMI = "ami-0c9d8e7f6a5b4c3d2";

    /**
     * Images this account can launch, as EC2 describes them: AWS's three recommended ECS images and two
     * approved images of the account's own (an x86_64 one and an arm64 one).
     */
    public static final String APPROVED_X86_64_AMI = "ami-0f1e2d3c4b5a69788";
    public static final String APPROVED_ARM64_AMI = "ami-0123456789abcdef0";
    public static final Map<String, Invokes.Image> IMAGES = Map.of(
            RECOMMENDED_X86_64_AMI, image("x86_64", "al2023-ami-ecs-hvm-2023.0.20260901-kernel-6.1-x86_64", "amazon"),
            RECOMMENDED_ARM64_AMI, image("arm64", "al2023-ami-ecs-hvm-2023.0.20260901-kernel-6.1-arm64", "amazon"),
            RECOMMENDED_GPU_AMI, image("x86_64", "al2023-ami-ecs-gpu-hvm-2023.0.20260901-kernel-6.1-x86_64", "amazon"),
            APPROVED_X86_64_AMI, image("x86_64", "acme-hardened-ecs-al2023-x86_64-2026.09", null),
            APPROVED_ARM64_AMI, image("arm64", "acme-hardened-ecs-al2023-arm64-2026.09", null));

    private static Invokes.Image image(String architecture, String name, String ownerAlias) {
        return new Invokes.Image(Optional.of(architecture), Optional.of(name), Optional.ofNullable(ownerAlias));
    }

    /** SSM parameters of this account: AWS's public ones, and an approved-image parameter of the account's own. */
    public static final String APPROVED_PARAMETER = "/acme/golden-images/ecs-al2023-x86_64";
    private final Map<String, String> parameters = new java.util.HashMap<>(Map.of(
            io.genomicsbatch.config.AmiSource.RECOMMENDED_X86_64, RECOMMENDED_X86_64_AMI,
            io.genomicsbatch.config.AmiSource.RECOMMENDED_ARM64, RECOMMENDED_ARM64_AMI,
            io.genomicsbatch.config.AmiSource.RECOMMENDED_GPU, RECOMMENDED_GPU_AMI,
            APPROVED_PARAMETER, APPROVED_X86_64_AMI));

    /** This account with a parameter set to a value (AWS publishing a new image, or a bad value). */
    public AwsAnswers withParameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    /** Fails as SSM does for a parameter that does not exist. */
    @Override
    public String ssmParameter(String name) {
        var value = parameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("ParameterNotFound: " + name);
        }
        return value;
    }

    /** Fails as the provider does for an image EC2 does not find. */
    @Override
    public Invokes.Image image(String imageId) {
        var image = IMAGES.get(imageId);
        if (image == null) {
            throw new IllegalArgumentException("Your query returned no results. Please change your search criteria and try again.");
        }
        return image;
    }

    /** Every instance profile of this account holds a role named after it, under the path /hosts/. */
    @Override
    public String instanceProfileRole(String profileName) {
        return instanceProfileRoleArn(profileName);
    }

    public static String instanceProfileRoleArn(String profileName) {
        return "arn:aws:iam::" + ACCOUNT + ":role/hosts/" + profileName + "-role";
    }

    public List<String> invokes() {
        synchronized (invokes) {
            return List.copyOf(invokes);
        }
    }
}
