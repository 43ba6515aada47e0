package io.genomicsbatch.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every data-source call the program makes, and how its answer is shaped: the one table the
 * offline plan ({@link PlanMocks}) and the tests' fake account answer from. A new lookup is one
 * entry here plus one method of {@link Account}, which both must then implement.
 */
public final class Invokes {
    private Invokes() {
    }

    /** What an AWS account answers. The plan answers from stack config and placeholders; tests from a fake account. */
    public interface Account {
        /** The VPC's ID: the requested one, or the region's default VPC when none is requested. */
        String vpc(Optional<String> requestedId);

        /** The subnets of a VPC, narrowed to {@code wanted} when given. */
        List<String> subnets(String vpcId, Optional<List<String>> wanted);

        /** The AWS partition (aws, aws-cn, aws-us-gov). */
        String partition();

        /** The deploying account's ID. */
        String accountId();

        /** The region the provider deploys to. */
        String region();

        /**
         * Route tables of a VPC: those explicitly associated with {@code subnets}, or with
         * {@code main} the VPC's main route table (which serves subnets without an association).
         */
        List<String> routeTables(String vpcId, List<String> subnets, boolean main);

        /** One subnet's Availability Zone and whether it gives instances a public IP address on launch. */
        SubnetFacts subnet(String subnetId);

        /** The value of an SSM parameter (a pinned AMI's ID); AWS fails the lookup for one that does not exist. */
        String ssmParameter(String name);

        /** What EC2 says of an image (DescribeImages); AWS fails the lookup for one it does not find. */
        Image image(String imageId);

        /** The ARN of the role in an instance profile (instanceProfileArn), by the profile's name. */
        String instanceProfileRole(String profileName);
    }

    /** What the subnet lookup tells of a subnet. */
    public record SubnetFacts(String availabilityZone, boolean mapPublicIpOnLaunch) {
    }

    /**
     * An image as EC2 describes it, as far as the program checks it; a field is empty where the answer has
     * none (the offline plan, which cannot know).
     *
     * @param architecture x86_64, arm64, ...
     * @param name         the image's name
     * @param ownerAlias   "amazon" for AWS's own images
     */
    public record Image(Optional<String> architecture, Optional<String> name, Optional<String> ownerAlias) {
    }

    public static final List<String> TOKENS = List.of(
            "aws:ec2/getVpc:getVpc",
            "aws:ec2/getSubnets:getSubnets",
            "aws:index/getPartition:getPartition",
            "aws:index/getCallerIdentity:getCallerIdentity",
            "aws:index/getRegion:getRegion",
            "aws:ec2/getRouteTables:getRouteTables",
            "aws:ec2/getVpcEndpointService:getVpcEndpointService",
            "aws:ec2/getSubnet:getSubnet",
            "aws:ssm/getParameter:getParameter",
            "aws:ec2/getAmi:getAmi",
            "aws:iam/getInstanceProfile:getInstanceProfile");

    /** The invoke's result, as the provider shapes it. */
    public static Map<String, Object> answer(String token, Map<String, Object> args, Account account) {
        return switch (token) {
            case "aws:ec2/getVpc:getVpc" -> Map.of("id",
                    account.vpc(args.get("id") instanceof String id ? Optional.of(id) : Optional.empty()));
            case "aws:ec2/getSubnets:getSubnets" -> subnets(args, account);
            case "aws:index/getPartition:getPartition" -> {
                var partition = account.partition();
                yield Map.of("id", partition, "partition", partition, "dnsSuffix",
                        partition.equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com");
            }
            case "aws:index/getCallerIdentity:getCallerIdentity" -> {
                var id = account.accountId();
                yield Map.of("id", id, "accountId", id, "arn", "arn:aws:iam::" + id + ":user/deployer", "userId", id);
            }
            case "aws:index/getRegion:getRegion" -> {
                var region = account.region();
                yield Map.of("id", region, "name", region, "region", region, "endpoint", "ec2." + region + ".amazonaws.com",
                        "description", region);
            }
            case "aws:ec2/getRouteTables:getRouteTables" -> routeTables(args, account);
            case "aws:ec2/getVpcEndpointService:getVpcEndpointService" -> {
                // Named after the region: the gateway services (S3, DynamoDB) in every partition, interface
                // services outside China (whose names start cn.com.amazonaws; the real lookup answers them).
                var name = "com.amazonaws." + account.region() + "." + args.get("service");
                yield Map.of("id", name, "serviceName", name, "serviceType", String.valueOf(args.get("serviceType")),
                        "serviceId", "vpce-svc-" + args.get("service"));
            }
            case "aws:ec2/getSubnet:getSubnet" -> {
                var id = String.valueOf(args.get("id"));
                var facts = account.subnet(id);
                yield Map.of("id", id, "availabilityZone", facts.availabilityZone(),
                        "mapPublicIpOnLaunch", facts.mapPublicIpOnLaunch());
            }
            case "aws:ssm/getParameter:getParameter" -> {
                var name = String.valueOf(args.get("name"));
                var value = account.ssmParameter(name);
                yield Map.of("id", name, "name", name, "type", "String", "value", value, "insecureValue", value,
                        "version", 1);
            }
            case "aws:ec2/getAmi:getAmi" -> image(args, account);
            case "aws:iam/getInstanceProfile:getInstanceProfile" -> {
                var name = String.valueOf(args.get("name"));
                var role = account.instanceProfileRole(name);
                var profile = "arn:" + account.partition() + ":iam::" + account.accountId() + ":instance-profile/" + name;
                yield Map.of("id", name, "name", name, "arn", profile, "path", "/", "createDate",
                        "2025-01-01T00:00:00Z", "roleArn", role, "roleName", role.substring(role.lastIndexOf('/') + 1),
                        "roleId", "AROA" + name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", ""));
            }
            default -> throw new IllegalStateException("no answer for invoke " + token + "; add it to Invokes");
        };
    }

    /** An image found by its {@code image-id} filter. */
    private static Map<String, Object> image(Map<String, Object> args, Account account) {
        var id = filters(args).getOrDefault("image-id", List.of()).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("getAmi without an image-id filter"));
        var image = account.image(id);
        var answer = new java.util.LinkedHashMap<String, Object>(Map.of("id", id, "imageId", id));
        image.architecture().ifPresent(a -> answer.put("architecture", a));
        image.name().ifPresent(n -> answer.put("name", n));
        image.ownerAlias().ifPresent(o -> answer.put("imageOwnerAlias", o));
        return answer;
    }

    private static Map<String, Object> subnets(Map<String, Object> args, Account account) {
        var filters = filters(args);
        var vpc = vpcId(args, filters);
        return Map.of("id", vpc, "ids", account.subnets(vpc, Optional.ofNullable(filters.get("subnet-id"))));
    }

    private static Map<String, Object> routeTables(Map<String, Object> args, Account account) {
        var filters = filters(args);
        var vpc = vpcId(args, filters);
        var subnets = filters.getOrDefault("association.subnet-id", List.<String>of());
        var main = filters.getOrDefault("association.main", List.of()).contains("true");
        return Map.of("id", vpc, "ids", account.routeTables(vpc, subnets, main));
    }

    /** The VPC a lookup is narrowed to: its {@code vpc-id} filter, or its {@code vpcId} argument. */
    private static String vpcId(Map<String, Object> args, Map<String, List<String>> filters) {
        var byFilter = filters.getOrDefault("vpc-id", List.of());
        return !byFilter.isEmpty() ? byFilter.get(0) : String.valueOf(args.get("vpcId"));
    }

    /** A lookup's filters: name -> values. */
    private static Map<String, List<String>> filters(Map<String, Object> args) {
        var filters = new java.util.HashMap<String, List<String>>();
        if (args.get("filters") instanceof List<?> list) {
            for (var filter : list) {
                if (filter instanceof Map<?, ?> f) {
                    filters.put(String.valueOf(f.get("name")), strings(f.get("values")));
                }
            }
        }
        return filters;
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}
