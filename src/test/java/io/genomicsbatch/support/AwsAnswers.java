package io.genomicsbatch.support;

import com.pulumi.test.Mocks;

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
public final class AwsAnswers implements Mocks {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    public static final String DEFAULT_VPC = "vpc-0d0d0d0d0d0d0d0d0";
    public static final List<String> DEFAULT_VPC_SUBNETS =
            List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3");
    public static final int LAUNCH_TEMPLATE_VERSION = 7;

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
        return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id(args.name)), state));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        invokes.add(args.token);
        Map<String, Object> result = switch (args.token) {
            case "aws:ec2/getVpc:getVpc" -> Map.of("id", args.args.get("id") instanceof String id ? id : DEFAULT_VPC);
            case "aws:ec2/getSubnets:getSubnets" -> subnets(args.args);
            case "aws:index/getPartition:getPartition" -> Map.of("id", "aws", "partition", "aws");
            case "aws:index/getCallerIdentity:getCallerIdentity" ->
                    Map.of("id", ACCOUNT, "accountId", ACCOUNT, "arn", "arn:aws:iam::" + ACCOUNT + ":user/ci");
            default -> throw new IllegalArgumentException("unexpected invoke " + args.token);
        };
        return CompletableFuture.completedFuture(result);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> subnets(Map<String, Object> args) {
        var filters = (List<Map<String, Object>>) args.getOrDefault("filters", List.of());
        String vpc = null;
        List<String> wanted = null;
        for (var f : filters) {
            var values = (List<String>) f.get("values");
            if ("vpc-id".equals(f.get("name"))) {
                vpc = values.get(0);
            } else if ("subnet-id".equals(f.get("name"))) {
                wanted = values;
            }
        }
        var inVpc = subnetsByVpc.getOrDefault(vpc, wanted == null ? List.of() : wanted);
        var ids = wanted == null ? inVpc : wanted.stream().filter(inVpc::contains).toList();
        return Map.of("id", String.valueOf(vpc), "ids", ids);
    }

    public List<String> invokes() {
        synchronized (invokes) {
            return List.copyOf(invokes);
        }
    }
}
