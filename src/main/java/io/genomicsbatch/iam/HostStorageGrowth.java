package io.genomicsbatch.iam;

import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.compute.UserData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the hosts' own services may do, as an inline policy of the instance role. Storage growth
 * (40-storage-growth.sh): create encrypted gp3 volumes only if they carry this environment's tag (and
 * no keys but those the launch template puts on volumes, and no larger than the cap), tag nothing but volumes being created, attach, detach or
 * delete only volumes (and instances) with this environment's tag, and on such instances change the
 * block device mapping (delete-on-termination) but not, as far as AWS's per-attribute condition keys
 * tell, termination or stop protection, shutdown behaviour, security groups, user data or type.
 * DescribeVolumes (what the CLI's waiters call) cannot be scoped to resources. A host whose
 * provisioning fails may put the {@code ProvisioningFailed} metric, in the GenomicsBatch namespace only.
 */
public final class HostStorageGrowth {
    private HostStorageGrowth() {
    }

    /**
     * @param name           logical name of the role policy
     * @param tagKey         the environment tag's key on instances and volumes
     * @param tagValue       this environment's value of it
     * @param otherTagKeys   the other keys a new volume may carry: those of the launch template's volumes
     *                       (the program's and the stack's tags), which the growth service copies
     * @param maxVolumeGiB   the largest volume a host may create (its storage cap)
     */
    public record Props(String name, Output<AwsAccount> account, String tagKey, String tagValue,
                        List<String> otherTagKeys, int maxVolumeGiB, Resource parent) {
        public Props {
            otherTagKeys = List.copyOf(otherTagKeys);
        }
    }

    /** The policy's name on a brought instance role (the stack's own role has it as {@code <name>}). */
    public static final String POLICY_NAME = "storage-growth";

    /**
     * Instance attributes the growth service never changes, each denied by its
     * {@code ec2:Attribute/NAME} condition key (present when a request sets that attribute).
     */
    static final List<String> PROTECTED_INSTANCE_ATTRIBUTES = List.of("DisableApiTermination", "DisableApiStop",
            "InstanceInitiatedShutdownBehavior", "GroupSet", "UserData", "InstanceType");

    /** The policy, inline on the hosts' role. */
    public static RolePolicy create(Props p, Role instanceRole) {
        return new RolePolicy(p.name(), RolePolicyArgs.builder()
                .role(instanceRole.id())
                .policy(document(p))
                .build(), CustomResourceOptions.builder().parent(p.parent()).build());
    }

    /** The policy document, in the deployment's partition (for a brought instance role too). */
    public static Output<String> document(Props p) {
        return p.account().applyValue(AwsAccount::partition).applyValue(part -> policy(part, p.tagKey(), p.tagValue(),
                p.otherTagKeys(), p.maxVolumeGiB()));
    }

    static String policy(String partition, String tagKey, String tagValue, List<String> otherTagKeys,
                         int maxVolumeGiB) {
        var volumes = "arn:" + partition + ":ec2:*:*:volume/*";
        var instances = "arn:" + partition + ":ec2:*:*:instance/*";
        var tagged = Map.<String, Object>of("StringEquals", Map.of("ec2:ResourceTag/" + tagKey, tagValue));

        var create = new LinkedHashMap<String, Object>();
        // Sorted: Map.of iterates in a per-JVM order, which would change the policy text between runs.
        create.put("StringEquals", new java.util.TreeMap<>(
                Map.of("aws:RequestTag/" + tagKey, tagValue, "ec2:VolumeType", "gp3")));
        // The environment tag is required; besides it, only the keys the launch template puts on volumes.
        var keys = new ArrayList<String>(List.of(tagKey));
        otherTagKeys.stream().filter(k -> !k.equals(tagKey)).forEach(keys::add);
        create.put("ForAllValues:StringEquals", Map.of("aws:TagKeys", keys));
        create.put("Bool", Map.of("ec2:Encrypted", "true"));
        create.put("NumericLessThanEquals", Map.of("ec2:VolumeSize", maxVolumeGiB));

        var statements = new ArrayList<Map<String, Object>>(List.of(
                conditional(PolicyDocuments.allow("CreateTaggedEncryptedGp3Volumes", List.of("ec2:CreateVolume"),
                        List.of(volumes)), create),
                conditional(PolicyDocuments.allow("TagVolumesOnlyWhileCreatingThem", List.of("ec2:CreateTags"),
                        List.of(volumes)), Map.of("StringEquals", Map.of("ec2:CreateAction", "CreateVolume"))),
                conditional(PolicyDocuments.allow("AttachTaggedVolumesToTaggedInstances",
                        List.of("ec2:AttachVolume"), List.of(volumes, instances)), tagged),
                conditional(PolicyDocuments.allow("DetachTaggedVolumesFromTaggedInstances",
                        List.of("ec2:DetachVolume"), List.of(volumes, instances)), tagged),
                conditional(PolicyDocuments.allow("DeleteTaggedVolumes", List.of("ec2:DeleteVolume"),
                        List.of(volumes)), tagged),
                conditional(PolicyDocuments.allow("DeleteOnTerminationOnTaggedInstances",
                        List.of("ec2:ModifyInstanceAttribute"), List.of(instances)), tagged),
                PolicyDocuments.allow("DescribeVolumesForWaiters", List.of("ec2:DescribeVolumes"), List.of("*")),
                conditional(PolicyDocuments.allow("ProvisioningFailedMetricOnly", List.of("cloudwatch:PutMetricData"),
                        List.of("*")), Map.of("StringEquals", Map.of("cloudwatch:namespace", UserData.METRIC_NAMESPACE)))));
        for (var attribute : PROTECTED_INSTANCE_ATTRIBUTES) {
            statements.add(conditional(PolicyDocuments.deny("No" + attribute, List.of("ec2:ModifyInstanceAttribute"),
                    List.of(instances)), Map.of("Null", Map.of("ec2:Attribute/" + attribute, "false"))));
        }
        return PolicyDocuments.document(statements);
    }

    private static Map<String, Object> conditional(Map<String, Object> statement, Map<String, Object> condition) {
        statement.put("Condition", condition);
        return statement;
    }
}
