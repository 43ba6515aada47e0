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
    }

    public static final List<String> TOKENS = List.of(
            "aws:ec2/getVpc:getVpc",
            "aws:ec2/getSubnets:getSubnets",
            "aws:index/getPartition:getPartition",
            "aws:index/getCallerIdentity:getCallerIdentity");

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
            default -> throw new IllegalStateException("no answer for invoke " + token + "; add it to Invokes");
        };
    }

    private static Map<String, Object> subnets(Map<String, Object> args, Account account) {
        String vpc = null;
        List<String> wanted = null;
        for (var filter : filters(args)) {
            var values = strings(filter.get("values"));
            if ("vpc-id".equals(filter.get("name")) && !values.isEmpty()) {
                vpc = values.get(0);
            } else if ("subnet-id".equals(filter.get("name"))) {
                wanted = values;
            }
        }
        return Map.of("id", String.valueOf(vpc), "ids", account.subnets(String.valueOf(vpc), Optional.ofNullable(wanted)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> filters(Map<String, Object> args) {
        return args.get("filters") instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}
