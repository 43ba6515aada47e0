package io.genomicsbatch.network;

import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupEgressArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.Map;

/**
 * The security group of the Batch hosts: no inbound rule at all (use SSM Session Manager, not SSH),
 * and explicit outbound rules, because Pulumi removes AWS's default allow-all egress and hosts
 * that cannot reach ECS never join the cluster.
 */
public final class HostSecurityGroup {
    private HostSecurityGroup() {
    }

    /** Outbound ports: HTTPS for the ECS, ECR, S3, SSM and CloudWatch APIs; HTTP for package mirrors and public data. */
    static final Map<Integer, String> EGRESS_PORTS = Map.of(
            443, "HTTPS: ECS, ECR, S3, SSM and CloudWatch APIs, container registries",
            80, "HTTP: OS package mirrors and public reference data");

    public static SecurityGroup create(String name, Output<String> vpcId, Map<String, String> tags, Resource parent) {
        var egress = EGRESS_PORTS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> SecurityGroupEgressArgs.builder()
                        .description(e.getValue())
                        .protocol("tcp")
                        .fromPort(e.getKey())
                        .toPort(e.getKey())
                        .cidrBlocks("0.0.0.0/0")
                        .build())
                .toList();
        return new SecurityGroup(name, SecurityGroupArgs.builder()
                .description("AWS Batch genomics hosts: no inbound access; outbound HTTPS and HTTP only")
                .vpcId(vpcId)
                .egress(egress)
                .tags(tags)
                .build(),
                CustomResourceOptions.builder().parent(parent).build());
    }
}
