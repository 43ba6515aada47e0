package io.genomicsbatch.iam;

import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.inputs.GetCallerIdentityArgs;
import com.pulumi.aws.inputs.GetPartitionArgs;
import com.pulumi.aws.inputs.GetRegionArgs;
import com.pulumi.aws.outputs.GetCallerIdentityResult;
import com.pulumi.aws.outputs.GetPartitionResult;
import com.pulumi.aws.outputs.GetRegionResult;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOutputOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.AwsRegions;

/** Where the environment is deployed, for the ARNs the program writes itself. */
public record AwsAccount(String partition, String region, String accountId) {

    /**
     * An account with the longest partition and region names of the region catalog (account IDs are
     * always 12 digits): policies written for it are as long as AWS could make them, for size checks.
     */
    public static AwsAccount longest() {
        return new AwsAccount(AwsRegions.longestPartition(), AwsRegions.longestRegion(), "123456789012");
    }

    /**
     * The longest ARN a role of this account can have under the configured path (role names are at most 64
     * characters), or the brought role's own.
     */
    String longestRoleArn(io.genomicsbatch.config.Settings.Iam rules, java.util.Optional<String> brought) {
        return brought.orElse("arn:" + partition + ":iam::" + accountId + ":role" + rules.rolePath() + "r".repeat(64));
    }

    /** The partition's DNS suffix (amazonaws.com, amazonaws.com.cn, ...), for host names such as ECR registries'. */
    public static Output<String> dnsSuffix(Resource parent) {
        return AwsFunctions.getPartition(GetPartitionArgs.builder().build(),
                InvokeOutputOptions.builder().parent(parent).build()).applyValue(GetPartitionResult::dnsSuffix);
    }

    /** The deployment's partition, region and account, looked up once for every policy that needs them. */
    public static Output<AwsAccount> lookUp(Resource parent) {
        var options = InvokeOutputOptions.builder().parent(parent).build();
        var partition = AwsFunctions.getPartition(GetPartitionArgs.builder().build(), options)
                .applyValue(GetPartitionResult::partition);
        var region = AwsFunctions.getRegion(GetRegionArgs.builder().build(), options).applyValue(GetRegionResult::name);
        var accountId = AwsFunctions.getCallerIdentity(GetCallerIdentityArgs.builder().build(), options)
                .applyValue(GetCallerIdentityResult::accountId);
        return Output.tuple(partition, region, accountId).applyValue(t -> new AwsAccount(t.t1, t.t2, t.t3));
    }
}
