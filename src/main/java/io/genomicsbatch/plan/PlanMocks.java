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
    /** The account of the roles the stack files bring (the deploying account must be theirs). */
    private final Supplier<Optional<String>> broughtRoleAccount;
    private final List<Lookup> lookups = Collections.synchronizedList(new ArrayList<>());

    PlanMocks(Supplier<Optional<String>> stackRegion, Supplier<Optional<String>> broughtRoleAccount) {
        this.stackRegion = stackRegion;
        this.broughtRoleAccount = broughtRoleAccount;
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
        var brought = broughtRoleAccount.get();
        if (brought.isPresent()) {
            lookups.add(new Lookup("account ID", brought.get(), "stack config (the account of the roles it brings: "
                    + "instanceProfileArn, jobRoleArn, headJobRoleArn)"));
            return brought.get();
        }
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

    /** Each subnet its own placeholder zone, private: the plan cannot know, so it counts each as one zone. */
    @Override
    public Invokes.SubnetFacts subnet(String subnetId) {
        lookups.add(new Lookup("subnet zones", lookupPlaceholder("Availability Zone of each subnet"),
                "placeholder: looked up on deployment (privateNetworking is on); the cost forecast counts each"
                        + " subnet as its own zone, the most there can be"));
        return new Invokes.SubnetFacts(lookupPlaceholder("Availability Zone of " + subnetId), false);
    }

    /**
     * A placeholder AMI ID for a parameter's value: "ami-0000" and 13 hex digits of the name's SHA-256, so
     * that a plan is the same on every run and each parameter has its own. Zeros lead, and the lookup
     * says it is a placeholder: AWS's current value is read on deployment.
     */
    static String placeholderAmiId(String parameter) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(parameter.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "ami-0000" + java.util.HexFormat.of().formatHex(digest).substring(0, 13);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String ssmParameter(String name) {
        var id = placeholderAmiId(name);
        lookups.add(new Lookup("AMI parameter", name + " = " + id, "placeholder AMI ID: the parameter's value is "
                + "read on deployment, and a new image shows as a change of the compute environments"));
        return id;
    }

    @Override
    public Invokes.Image image(String imageId) {
        lookups.add(new Lookup("AMI", imageId, "stack config; its architecture (and, for the GPU environment, "
                + "its driver) is checked against the instance types on deployment"));
        return new Invokes.Image(Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public String instanceProfileRole(String profileName) {
        var role = lookupPlaceholder("the role of instance profile " + profileName);
        lookups.add(new Lookup("instance profile role", role, "placeholder: looked up on deployment "
                + "(instanceProfileArn is set)"));
        return role;
    }

    List<Lookup> lookups() {
        synchronized (lookups) {
            return List.copyOf(lookups);
        }
    }
}
