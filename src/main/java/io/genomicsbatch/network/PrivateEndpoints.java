package io.genomicsbatch.network;

import com.pulumi.aws.ec2.Ec2Functions;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2.VpcEndpoint;
import com.pulumi.aws.ec2.VpcEndpointArgs;
import com.pulumi.aws.ec2.inputs.GetSubnetArgs;
import com.pulumi.aws.ec2.inputs.GetVpcEndpointServiceArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupIngressArgs;
import com.pulumi.aws.ec2.outputs.GetVpcEndpointServiceResult;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOutputOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.ConfigKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Interface VPC endpoints with private DNS for every AWS service the hosts and their jobs call, so that
 * hosts in subnets without a route to the internet still join ECS, pull from ECR, log, grow their storage
 * and run workflow engines' head jobs (S3 goes through the S3 gateway endpoint, built beside these).
 * Private DNS makes the services' usual names resolve to the endpoints in the whole VPC, so nothing on the
 * hosts is configured for them. The endpoints admit HTTPS from the hosts' security group only.
 */
public final class PrivateEndpoints {
    private PrivateEndpoints() {
    }

    /**
     * An AWS service reached through an interface endpoint, and who calls it. AWS names the endpoint
     * service {@code com.amazonaws.<region>.<name>} (looked up, so other partitions get their own names).
     */
    public enum Service {
        ECS("ecs", "the ECS agent registers the host in the compute environment's cluster"),
        ECS_AGENT("ecs-agent", "the ECS agent polls for the tasks (jobs) placed on the host"),
        ECS_TELEMETRY("ecs-telemetry", "the ECS agent reports container metrics and health"),
        ECR_API("ecr.api", "Docker gets its ECR credentials and image manifests (layers come from S3)"),
        ECR_DKR("ecr.dkr", "Docker pulls job images from ECR"),
        LOGS("logs", "the awslogs driver sends job output to CloudWatch Logs; engines read it back"),
        MONITORING("monitoring", "a host that fails to provision puts the ProvisioningFailed metric"),
        EC2("ec2", "hosts grow their data storage: create, attach and delete volumes"),
        STS("sts", "jobs that assume a role or ask for their identity (AWS SDKs and the CLI use the regional STS)"),
        BATCH("batch", "workflow engines run as head jobs submit, describe and cancel their tasks' jobs"),
        SSM("ssm", "the SSM agent (AmazonSSMManagedInstanceCore): Session Manager instead of SSH"),
        SSMMESSAGES("ssmmessages", "Session Manager's channels, and Run Command with current SSM agents"),
        EC2MESSAGES("ec2messages", "Run Command for SSM agents that cannot use ssmmessages");

        private final String endpointName;
        private final String caller;

        Service(String endpointName, String caller) {
            this.endpointName = endpointName;
            this.caller = caller;
        }

        /** The last part of the endpoint service's name, e.g. {@code ecr.dkr}. */
        public String endpointName() {
            return endpointName;
        }

        /** Who calls the service, and why. */
        public String caller() {
            return caller;
        }

        /** The endpoint's logical name: {@code <name>-ecr-dkr-endpoint}. */
        public String logicalName(String name) {
            return name + "-" + endpointName.replace('.', '-') + "-endpoint";
        }
    }

    /** A subnet of the hosts, as the subnet lookup describes it. */
    public record Subnet(String id, String availabilityZone, boolean mapPublicIpOnLaunch) {
    }

    /** EC2 cannot change a group's description without replacing the group. */
    static final String SECURITY_GROUP_DESCRIPTION = "genomics-batch VPC endpoints: HTTPS from the hosts only";

    /** Each hosts' subnet with its Availability Zone and public-IP setting (one lookup per subnet). */
    public static Output<List<Subnet>> lookUp(Output<List<String>> subnetIds, Resource parent) {
        var options = InvokeOutputOptions.builder().parent(parent).build();
        return subnetIds.apply(ids -> Output.all(ids.stream()
                .map(id -> Ec2Functions.getSubnet(GetSubnetArgs.builder().id(id).build(), options)
                        .applyValue(s -> new Subnet(id, s.availabilityZone(), s.mapPublicIpOnLaunch())))
                .toList()));
    }

    /**
     * The subnets an interface endpoint goes in: AWS takes at most one per Availability Zone, so the
     * lowest subnet ID of each zone, in zone order (the same subnets for the same lookup, whatever its order).
     */
    public static List<String> onePerZone(List<Subnet> subnets) {
        var byZone = new TreeMap<String, String>();
        for (var s : subnets) {
            byZone.merge(s.availabilityZone(), s.id(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        return List.copyOf(byZone.values());
    }

    /** One warning per hosts' subnet that gives instances a public IP address on launch. */
    public static List<String> publicSubnetWarnings(List<Subnet> subnets) {
        return subnets.stream().filter(Subnet::mapPublicIpOnLaunch)
                .map(s -> ConfigKey.PRIVATE_NETWORKING.fullKey() + " = true, but subnet " + s.id() + " ("
                        + s.availabilityZone() + ") maps public IP addresses on launch: hosts there get one, and"
                        + " reach the internet if the subnet routes to an internet gateway; list private subnets in "
                        + ConfigKey.SUBNET_IDS.fullKey())
                .toList();
    }

    /**
     * @param name                the component's name: logical names start with it
     * @param subnets             the hosts' subnets ({@link #lookUp})
     * @param hostSecurityGroupId the only source the endpoints admit
     */
    public record Props(String name, Output<String> vpcId, Output<List<Subnet>> subnets,
                        Output<String> hostSecurityGroupId, Map<String, String> tags, Resource parent) {
    }

    /** The endpoints' security group and one endpoint per {@link Service}, in that order. */
    public record Built(SecurityGroup securityGroup, List<VpcEndpoint> endpoints) {
    }

    public static Built create(Props p) {
        var resourceOptions = CustomResourceOptions.builder().parent(p.parent()).build();
        var securityGroup = new SecurityGroup(p.name() + "-endpoint-security-group", SecurityGroupArgs.builder()
                .description(SECURITY_GROUP_DESCRIPTION)
                .vpcId(p.vpcId())
                .ingress(SecurityGroupIngressArgs.builder()
                        .description("HTTPS from the Batch hosts (and their jobs, which share the host network)")
                        .protocol("tcp")
                        .fromPort(443)
                        .toPort(443)
                        .securityGroups(p.hostSecurityGroupId().applyValue(List::of))
                        .build())
                // No egress rule: endpoints answer connections, they open none (Pulumi removes AWS's default).
                .tags(p.tags())
                .build(), resourceOptions);
        var subnetIds = p.subnets().applyValue(PrivateEndpoints::onePerZone);
        var invokeOptions = InvokeOutputOptions.builder().parent(p.parent()).build();
        var endpoints = new ArrayList<VpcEndpoint>();
        for (var service : Service.values()) {
            var serviceName = Ec2Functions.getVpcEndpointService(GetVpcEndpointServiceArgs.builder()
                    .service(service.endpointName()).serviceType("Interface").build(), invokeOptions)
                    .applyValue(GetVpcEndpointServiceResult::serviceName);
            endpoints.add(new VpcEndpoint(service.logicalName(p.name()), VpcEndpointArgs.builder()
                    .vpcId(p.vpcId())
                    .serviceName(serviceName)
                    .vpcEndpointType("Interface")
                    .privateDnsEnabled(true)
                    .subnetIds(subnetIds)
                    .securityGroupIds(securityGroup.id().applyValue(List::of))
                    .tags(p.tags())
                    .build(), resourceOptions));
        }
        return new Built(securityGroup, List.copyOf(endpoints));
    }
}
