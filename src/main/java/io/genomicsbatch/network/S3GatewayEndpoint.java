package io.genomicsbatch.network;

import com.pulumi.aws.ec2.Ec2Functions;
import com.pulumi.aws.ec2.VpcEndpoint;
import com.pulumi.aws.ec2.VpcEndpointArgs;
import com.pulumi.aws.ec2.inputs.GetRouteTablesArgs;
import com.pulumi.aws.ec2.inputs.GetRouteTablesFilterArgs;
import com.pulumi.aws.ec2.inputs.GetVpcEndpointServiceArgs;
import com.pulumi.aws.ec2.outputs.GetRouteTablesResult;
import com.pulumi.aws.ec2.outputs.GetVpcEndpointServiceResult;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOutputOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An S3 gateway endpoint on the route tables of the hosts' subnets: S3 traffic from private
 * subnets goes to S3 directly instead of through the NAT gateway (no data processing charge, no
 * NAT bandwidth limit). Gateway endpoints are free and only add routes to S3's prefix list.
 */
public final class S3GatewayEndpoint {
    private S3GatewayEndpoint() {
    }

    /**
     * @param subnetIds the hosts' subnets: their route tables get the route, and the VPC's main
     *                  route table too, since a subnet without its own association uses it
     */
    public record Props(String logicalName, Output<String> vpcId, Output<List<String>> subnetIds,
                        Map<String, String> tags, Resource parent) {
    }

    public static VpcEndpoint create(Props p) {
        var options = InvokeOutputOptions.builder().parent(p.parent()).build();
        var service = Ec2Functions.getVpcEndpointService(GetVpcEndpointServiceArgs.builder()
                .service("s3").serviceType("Gateway").build(), options)
                .applyValue(GetVpcEndpointServiceResult::serviceName);
        var associated = Ec2Functions.getRouteTables(GetRouteTablesArgs.builder().filters(
                        GetRouteTablesFilterArgs.builder().name("vpc-id").values(p.vpcId().applyValue(List::of)).build(),
                        GetRouteTablesFilterArgs.builder().name("association.subnet-id").values(p.subnetIds()).build())
                .build(), options).applyValue(GetRouteTablesResult::ids);
        var main = Ec2Functions.getRouteTables(GetRouteTablesArgs.builder().filters(
                        GetRouteTablesFilterArgs.builder().name("vpc-id").values(p.vpcId().applyValue(List::of)).build(),
                        GetRouteTablesFilterArgs.builder().name("association.main").values("true").build())
                .build(), options).applyValue(GetRouteTablesResult::ids);
        var routeTables = Output.tuple(associated, main).applyValue(t -> {
            var all = new TreeSet<String>(t.t1);
            all.addAll(t.t2);
            return List.copyOf(all);
        });
        return new VpcEndpoint(p.logicalName(), VpcEndpointArgs.builder()
                .vpcId(p.vpcId())
                .serviceName(service)
                .vpcEndpointType("Gateway")
                .routeTableIds(routeTables)
                .tags(p.tags())
                .build(), CustomResourceOptions.builder().parent(p.parent()).build());
    }
}
