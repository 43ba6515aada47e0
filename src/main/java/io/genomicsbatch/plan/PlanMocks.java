package io.genomicsbatch.plan;

import com.pulumi.test.Mocks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Answers the program offline: resources get their inputs back plus labelled placeholders for
 * what AWS would assign (IDs, ARNs, generated names); lookups are answered from the stack config
 * where it says, otherwise with labelled placeholders.
 */
final class PlanMocks implements Mocks, Invokes.Account {

    /** aws:region from the stack files, asked for only once the program runs. */
    private final Supplier<Optional<String>> stackRegion;
    private final List<Lookup> lookups = Collections.synchronizedList(new ArrayList<>());

    PlanMocks(Supplier<Optional<String>> stackRegion) {
        this.stackRegion = stackRegion;
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
        // What a shared file system's hosts mount (its user data shows them).
        if (args.type.equals("aws:efs/fileSystem:FileSystem") || args.type.equals("aws:fsx/lustreFileSystem:LustreFileSystem")) {
            state.putIfAbsent("dnsName", afterDeploy(args.name, "dnsName"));
        }
        if (args.type.equals("aws:fsx/lustreFileSystem:LustreFileSystem")) {
            state.putIfAbsent("mountName", afterDeploy(args.name, "mountName"));
        }
        return CompletableFuture.completedFuture(
                ResourceResult.of(Optional.of(afterDeploy(args.name, "id")), state));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        return CompletableFuture.completedFuture(Invokes.answer(args.token, args.args, this));
    }

    @Override
    public String vpc(Optional<String> requestedId) {
        if (requestedId.isPresent()) {
            lookups.add(new Lookup("VPC", requestedId.get(), "stack config (vpcId)"));
            return requestedId.get();
        }
        var id = lookupPlaceholder("the region's default VPC");
        lookups.add(new Lookup("VPC", id, "placeholder: vpcId is unset, so the default VPC is looked up"));
        return id;
    }

    @Override
    public List<String> subnets(String vpcId, Optional<List<String>> wanted) {
        if (wanted.isPresent()) {
            lookups.add(new Lookup("subnets", wanted.get().toString(), "stack config (subnetIds)"));
            return wanted.get();
        }
        var placeholder = lookupPlaceholder("every subnet of the VPC");
        lookups.add(new Lookup("subnets", "[" + placeholder + "]",
                "placeholder: subnetIds is empty, so every subnet of the VPC is looked up"));
        return List.of(placeholder);
    }

    @Override
    public String partition() {
        var region = stackRegion.get();
        var r = region.orElse("");
        var partition = r.startsWith("cn-") ? "aws-cn" : r.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        lookups.add(new Lookup("AWS partition", partition,
                region.isPresent() ? "stack config (aws:region " + r + ")" : "placeholder: aws:region is unset"));
        return partition;
    }

    @Override
    public String accountId() {
        var account = lookupPlaceholder("AWS account ID");
        lookups.add(new Lookup("account ID", account, "placeholder: taken from the credentials on deployment"));
        return account;
    }

    @Override
    public String region() {
        var region = stackRegion.get();
        var r = region.orElse(lookupPlaceholder("the region of the AWS environment"));
        lookups.add(new Lookup("region", r, region.isPresent() ? "stack config (aws:region)"
                : "placeholder: aws:region is unset"));
        return r;
    }

    @Override
    public List<String> routeTables(String vpcId, List<String> subnets, boolean main) {
        var what = main ? "the VPC's main route table" : "route tables of the subnets";
        var placeholder = lookupPlaceholder(what);
        lookups.add(new Lookup(main ? "main route table" : "route tables", "[" + placeholder + "]",
                "placeholder: looked up on deployment (s3GatewayEndpoint is on)"));
        return List.of(placeholder);
    }

    List<Lookup> lookups() {
        synchronized (lookups) {
            return List.copyOf(lookups);
        }
    }
}
