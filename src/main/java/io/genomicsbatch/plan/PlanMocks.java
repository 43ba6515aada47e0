package io.genomicsbatch.plan;

import com.pulumi.test.Mocks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Answers the program offline: resources get their inputs back plus labelled placeholders for
 * what AWS would assign (IDs, ARNs, generated names); lookups are answered from the stack config
 * where it says, otherwise with labelled placeholders.
 */
final class PlanMocks implements Mocks {

    private final Optional<String> region;
    private final List<Lookup> lookups = Collections.synchronizedList(new ArrayList<>());

    PlanMocks(Optional<String> region) {
        this.region = region;
    }

    /** The placeholder for a value AWS assigns on deployment. */
    static String afterDeploy(String resourceName, String attribute) {
        return "<after deploy: " + resourceName + "." + attribute + ">";
    }

    static String lookupPlaceholder(String what) {
        return "<lookup: " + what + ">";
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        var state = new LinkedHashMap<String, Object>(args.inputs);
        state.putIfAbsent("arn", afterDeploy(args.name, "arn"));
        state.putIfAbsent("name", afterDeploy(args.name, "name"));
        if (args.type.equals("aws:ec2/launchTemplate:LaunchTemplate")) {
            state.put("latestVersion", 1); // a new template's first version
        }
        return CompletableFuture.completedFuture(
                ResourceResult.of(Optional.of(afterDeploy(args.name, "id")), state));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        Map<String, Object> result = switch (args.token) {
            case "aws:ec2/getVpc:getVpc" -> vpc(args.args);
            case "aws:ec2/getSubnets:getSubnets" -> subnets(args.args);
            case "aws:index/getPartition:getPartition" -> partition();
            case "aws:index/getCallerIdentity:getCallerIdentity" -> callerIdentity();
            default -> throw new IllegalStateException("the offline plan cannot answer " + args.token);
        };
        return CompletableFuture.completedFuture(result);
    }

    private Map<String, Object> vpc(Map<String, Object> args) {
        if (args.get("id") instanceof String id) {
            lookups.add(new Lookup("VPC", id, "stack config (vpcId)"));
            return Map.of("id", id);
        }
        var id = lookupPlaceholder("the region's default VPC");
        lookups.add(new Lookup("VPC", id, "placeholder: vpcId is unset, so the default VPC is looked up"));
        return Map.of("id", id);
    }

    private Map<String, Object> subnets(Map<String, Object> args) {
        for (var filter : filters(args)) {
            if ("subnet-id".equals(filter.get("name")) && filter.get("values") instanceof List<?> ids) {
                lookups.add(new Lookup("subnets", ids.toString(), "stack config (subnetIds)"));
                return Map.of("id", "subnets", "ids", ids);
            }
        }
        var placeholder = lookupPlaceholder("every subnet of the VPC");
        lookups.add(new Lookup("subnets", "[" + placeholder + "]",
                "placeholder: subnetIds is empty, so every subnet of the VPC is looked up"));
        return Map.of("id", "subnets", "ids", List.of(placeholder));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> filters(Map<String, Object> args) {
        return args.get("filters") instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private Map<String, Object> partition() {
        var r = region.orElse("");
        var partition = r.startsWith("cn-") ? "aws-cn" : r.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        lookups.add(new Lookup("AWS partition", partition,
                region.isPresent() ? "stack config (aws:region " + r + ")" : "placeholder: aws:region is unset"));
        return Map.of("id", partition, "partition", partition, "dnsSuffix", "amazonaws.com");
    }

    private Map<String, Object> callerIdentity() {
        var account = lookupPlaceholder("AWS account ID");
        lookups.add(new Lookup("account ID", account, "placeholder: taken from the credentials on deployment"));
        return Map.of("id", account, "accountId", account, "arn", account, "userId", account);
    }

    List<Lookup> lookups() {
        synchronized (lookups) {
            return List.copyOf(lookups);
        }
    }
}
