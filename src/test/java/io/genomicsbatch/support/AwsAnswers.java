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
        this.subnetsByVpc = subnetsByVpc;
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

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        var state = new LinkedHashMap<String, Object>(args.inputs);
        state.put("arn", arn(args.type, args.name));
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

    public List<String> invokes() {
        synchronized (invokes) {
            return List.copyOf(invokes);
        }
    }
}
