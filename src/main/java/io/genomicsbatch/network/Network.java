package io.genomicsbatch.network;

import com.pulumi.aws.ec2.Ec2Functions;
import com.pulumi.aws.ec2.inputs.GetSubnetsArgs;
import com.pulumi.aws.ec2.inputs.GetSubnetsFilterArgs;
import com.pulumi.aws.ec2.inputs.GetVpcArgs;
import com.pulumi.aws.ec2.outputs.GetVpcResult;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOutputOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The VPC and subnets the hosts run in, looked up in the account: the configured VPC or the
 * region's default one, and the configured subnets (checked to be in that VPC) or all of its subnets.
 */
public record Network(Output<String> vpcId, Output<List<String>> subnetIds) {

    public static Network lookUp(Settings.Network settings, Resource parent) {
        var options = InvokeOutputOptions.builder().parent(parent).build();
        var vpcArgs = settings.vpcId()
                .map(id -> GetVpcArgs.builder().id(id))
                .orElseGet(() -> GetVpcArgs.builder().default_(true))
                .build();
        var vpcId = Ec2Functions.getVpc(vpcArgs, options).applyValue(GetVpcResult::id);

        var filters = new ArrayList<GetSubnetsFilterArgs>();
        filters.add(GetSubnetsFilterArgs.builder().name("vpc-id").values(vpcId.applyValue(List::of)).build());
        if (!settings.subnetIds().isEmpty()) {
            filters.add(GetSubnetsFilterArgs.builder().name("subnet-id").values(settings.subnetIds()).build());
        }
        var found = Ec2Functions.getSubnets(GetSubnetsArgs.builder().filters(filters).build(), options);
        var subnetIds = Output.tuple(vpcId, found)
                .applyValue(t -> checked(settings.subnetIds(), t.t1, t.t2.ids()));
        return new Network(vpcId, subnetIds);
    }

    /** The subnets to use, failing the deployment with a clear message when some are not in the VPC. */
    static List<String> checked(List<String> configured, String vpcId, List<String> found) {
        if (configured.isEmpty()) {
            if (found.isEmpty()) {
                throw new IllegalStateException(ConfigKey.VPC_ID.fullKey() + ": VPC " + vpcId
                        + " has no subnets; create subnets or set " + ConfigKey.SUBNET_IDS.fullKey());
            }
            return List.copyOf(new TreeSet<>(found));
        }
        var missing = new ArrayList<>(configured);
        missing.removeAll(found);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(ConfigKey.SUBNET_IDS.fullKey() + ": " + missing + " not found in VPC "
                    + vpcId + "; list subnets of that VPC (or set " + ConfigKey.VPC_ID.fullKey()
                    + " to the VPC that holds them)");
        }
        return configured;
    }
}
