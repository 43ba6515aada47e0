package io.genomicsbatch.iam;

import com.pulumi.aws.iam.InstanceProfile;
import com.pulumi.aws.iam.InstanceProfileArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM side of the environment: the hosts' instance role and profile, the role jobs run as,
 * and a Spot fleet role only where AWS needs one (Spot with BEST_FIT). No Batch service role: the
 * service-linked role lets Batch update compute environments in place.
 */
public final class BatchIam {
    private BatchIam() {
    }


    /** AWS managed policies the hosts need: join ECS and pull from ECR, and be reachable through SSM. */
    public static final List<String> INSTANCE_POLICIES = List.of(
            "service-role/AmazonEC2ContainerServiceforEC2Role",
            "AmazonSSMManagedInstanceCore");
    /** Lets the Spot fleet tag the instances it launches. */
    public static final String SPOT_FLEET_POLICY = "service-role/AmazonEC2SpotFleetTaggingRole";

    /**
     * @param name          prefix of the logical names
     * @param data          buckets and keys the job role may use
     * @param spotFleetRole whether to create the Spot fleet role
     * @param protect       protect the roles and the profile from deletion
     */
    public record Props(String name, Output<AwsAccount> account, Settings.DataAccess data, boolean spotFleetRole,
                        boolean protect, Map<String, String> tags, Resource parent) {
    }

    /**
     * What was built.
     *
     * @param attachments the policy attachments a compute environment must wait for (and outlive on deletion)
     */
    public record Roles(Role instanceRole, InstanceProfile instanceProfile, Role jobRole, Optional<Role> spotFleetRole,
                        List<Resource> attachments) {
        public Roles {
            attachments = List.copyOf(attachments);
        }
    }

    public static Roles create(Props p) {
        var name = p.name();
        var parent = p.parent();
        var tags = p.tags();
        var attachments = new ArrayList<Resource>();
        var partition = p.account().applyValue(AwsAccount::partition);
        var options = CustomResourceOptions.builder().parent(parent).protect(p.protect()).build();

        var instanceRole = new Role(name + "-instance-role", RoleArgs.builder()
                .description("Genomics Batch hosts: join ECS, pull images, SSM access")
                .assumeRolePolicy(PolicyDocuments.trust("ec2.amazonaws.com", Map.of()))
                .tags(tags)
                .build(), options);
        attachments.addAll(attachManaged(name + "-instance-role", instanceRole, INSTANCE_POLICIES, partition, parent));

        var instanceProfile = new InstanceProfile(name + "-instance-profile", InstanceProfileArgs.builder()
                .role(instanceRole.name())
                .tags(tags)
                .build(), options);

        // Only ECS tasks of this account may assume the job role (confused-deputy guard).
        var jobTrust = p.account().applyValue(a -> PolicyDocuments.ecsTasksTrust(a.accountId()));
        var jobRole = new Role(name + "-job-role", RoleArgs.builder()
                .description("Genomics Batch jobs: read and write the configured data buckets")
                .assumeRolePolicy(jobTrust)
                .tags(tags)
                .build(), options);
        attachDataAccess(name + "-job-role", jobRole, p.data(), partition, parent);

        Optional<Role> spotFleetRole = Optional.empty();
        if (p.spotFleetRole()) {
            var role = new Role(name + "-spot-fleet-role", RoleArgs.builder()
                    .description("Spot fleet requests of the Genomics Batch Spot compute environment (BEST_FIT)")
                    .assumeRolePolicy(PolicyDocuments.trust("spotfleet.amazonaws.com", Map.of()))
                    .tags(tags)
                    .build(), options);
            attachments.addAll(attachManaged(name + "-spot-fleet-role", role, List.of(SPOT_FLEET_POLICY), partition,
                    parent));
            spotFleetRole = Optional.of(role);
        }
        return new Roles(instanceRole, instanceProfile, jobRole, spotFleetRole, attachments);
    }

    private static List<Resource> attachManaged(String name, Role role, List<String> policies,
                                                Output<String> partition, Resource parent) {
        var attachments = new ArrayList<Resource>();
        for (var policy : policies) {
            var shortName = policy.substring(policy.lastIndexOf('/') + 1);
            attachments.add(new RolePolicyAttachment(name + "-" + shortName, RolePolicyAttachmentArgs.builder()
                    .role(role.name())
                    .policyArn(partition.applyValue(part -> "arn:" + part + ":iam::aws:policy/" + policy))
                    .build(), CustomResourceOptions.builder().parent(parent).build()));
        }
        return attachments;
    }

    /** The data, reference and KMS policies ({@link DataAccessPolicies}) as inline policies of a role. */
    static void attachDataAccess(String rolePrefix, Role role, Settings.DataAccess data, Output<String> partition,
                                 Resource parent) {
        // Which policies exist depends on config only, not on the partition's value.
        for (var suffix : DataAccessPolicies.policies("aws", data).keySet()) {
            new RolePolicy(rolePrefix + "-" + suffix, RolePolicyArgs.builder()
                    .role(role.id())
                    .policy(partition.applyValue(part -> DataAccessPolicies.policies(part, data).get(suffix)))
                    .build(), CustomResourceOptions.builder().parent(parent).build());
        }
    }
}
