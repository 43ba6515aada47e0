package io.genomicsbatch.iam;

import com.pulumi.aws.iam.IamFunctions;
import com.pulumi.aws.iam.InstanceProfile;
import com.pulumi.aws.iam.InstanceProfileArgs;
import com.pulumi.aws.iam.inputs.GetInstanceProfileArgs;
import com.pulumi.aws.iam.outputs.GetInstanceProfileResult;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOutputOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM side of the environment: the hosts' instance role and profile, the role jobs run as,
 * and a Spot fleet role only where AWS needs one (Spot with BEST_FIT). No Batch service role: the
 * service-linked role lets Batch update compute environments in place. A brought instance profile (with
 * its role) or job role is used instead of one created, and what it needs is described ({@link BroughtRole}).
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
     * @param rules         boundary and path of the roles created, and the roles brought
     * @param protect       protect the roles and the profile from deletion
     */
    public record Props(String name, Output<AwsAccount> account, Settings.DataAccess data, boolean spotFleetRole,
                        Settings.Iam rules, boolean protect, Map<String, String> tags, Resource parent) {
    }

    /**
     * What was built or brought.
     *
     * @param instanceRole       the hosts' role, when created (empty: brought with instanceProfileArn)
     * @param instanceRoleArn    the hosts' role, created or the brought profile's (looked up)
     * @param instanceProfileArn what the compute environments launch hosts with
     * @param jobRoleArn         the role jobs run as, created or brought
     * @param attachments        the policy attachments a compute environment must wait for (and outlive on deletion)
     * @param brought            the brought roles, with what this stack would have given them
     */
    public record Roles(Optional<Role> instanceRole, Output<String> instanceRoleArn, Output<String> instanceProfileArn,
                        Output<String> jobRoleArn, Optional<Role> spotFleetRole, List<Resource> attachments,
                        List<BroughtRole> brought) {
        public Roles {
            attachments = List.copyOf(attachments);
            brought = List.copyOf(brought);
        }
    }

    public static Roles create(Props p) {
        var name = p.name();
        var parent = p.parent();
        var tags = p.tags();
        var rules = p.rules();
        var attachments = new ArrayList<Resource>();
        var brought = new ArrayList<BroughtRole>();
        var partition = p.account().applyValue(AwsAccount::partition);
        var options = CustomResourceOptions.builder().parent(parent).protect(p.protect()).build();

        var instanceTrust = PolicyDocuments.trust("ec2.amazonaws.com", Map.of());
        Optional<Role> instanceRole = Optional.empty();
        Output<String> instanceRoleArn;
        Output<String> instanceProfileArn;
        if (rules.instanceProfileArn().isPresent()) {
            var profileArn = rules.instanceProfileArn().get();
            // The profile's role, looked up (which also fails the preview when the profile does not exist).
            instanceRoleArn = IamFunctions.getInstanceProfile(GetInstanceProfileArgs.builder()
                            .name(StackRoles.nameOf(profileArn)).build(),
                    InvokeOutputOptions.builder().parent(parent).build()).applyValue(GetInstanceProfileResult::roleArn);
            instanceProfileArn = Output.of(profileArn);
            brought.add(new BroughtRole(BroughtRole.INSTANCE_ROLE, instanceRoleArn, Output.of(instanceTrust),
                    managedArns(INSTANCE_POLICIES, partition), Map.of()));
        } else {
            var role = StackRoles.create(name + "-instance-role", RoleArgs.builder()
                    .description("Genomics Batch hosts: join ECS, pull images, SSM access")
                    .assumeRolePolicy(instanceTrust)
                    .tags(tags), rules, options);
            attachments.addAll(attachManaged(name + "-instance-role", role, INSTANCE_POLICIES, partition, parent));
            var profile = InstanceProfileArgs.builder()
                    .role(role.name())
                    .tags(tags);
            StackRoles.pathOf(rules).ifPresent(profile::path);
            instanceProfileArn = new InstanceProfile(name + "-instance-profile", profile.build(), options).arn();
            instanceRole = Optional.of(role);
            instanceRoleArn = role.arn();
        }

        // Only ECS tasks of this account may assume the job role (confused-deputy guard).
        var jobTrust = p.account().applyValue(a -> PolicyDocuments.ecsTasksTrust(a.accountId()));
        Output<String> jobRoleArn;
        if (rules.jobRoleArn().isPresent()) {
            jobRoleArn = Output.of(rules.jobRoleArn().get());
            brought.add(new BroughtRole("jobRole", jobRoleArn, jobTrust, List.of(), dataAccess(p.data(), partition)));
        } else {
            var jobRole = StackRoles.create(name + "-job-role", RoleArgs.builder()
                    .description("Genomics Batch jobs: read and write the configured data buckets")
                    .assumeRolePolicy(jobTrust)
                    .tags(tags), rules, options);
            attachDataAccess(name + "-job-role", jobRole, p.data(), partition, parent);
            jobRoleArn = jobRole.arn();
        }

        Optional<Role> spotFleetRole = Optional.empty();
        if (p.spotFleetRole()) {
            var role = StackRoles.create(name + "-spot-fleet-role", RoleArgs.builder()
                    .description("Spot fleet requests of the Genomics Batch Spot compute environment (BEST_FIT)")
                    .assumeRolePolicy(PolicyDocuments.trust("spotfleet.amazonaws.com", Map.of()))
                    .tags(tags), rules, options);
            attachments.addAll(attachManaged(name + "-spot-fleet-role", role, List.of(SPOT_FLEET_POLICY), partition,
                    parent));
            spotFleetRole = Optional.of(role);
        }
        return new Roles(instanceRole, instanceRoleArn, instanceProfileArn, jobRoleArn, spotFleetRole, attachments,
                brought);
    }

    /** AWS-managed policies by ARN, in the deployment's partition. */
    private static List<Output<String>> managedArns(List<String> policies, Output<String> partition) {
        return policies.stream().map(policy -> partition.applyValue(part -> managedArn(part, policy))).toList();
    }

    private static String managedArn(String partition, String policy) {
        return "arn:" + partition + ":iam::aws:policy/" + policy;
    }

    private static List<Resource> attachManaged(String name, Role role, List<String> policies,
                                                Output<String> partition, Resource parent) {
        var attachments = new ArrayList<Resource>();
        for (var policy : policies) {
            var shortName = policy.substring(policy.lastIndexOf('/') + 1);
            attachments.add(new RolePolicyAttachment(name + "-" + shortName, RolePolicyAttachmentArgs.builder()
                    .role(role.name())
                    .policyArn(partition.applyValue(part -> managedArn(part, policy)))
                    .build(), CustomResourceOptions.builder().parent(parent).build()));
        }
        return attachments;
    }

    /** The data, reference and KMS policies ({@link DataAccessPolicies}) by suffix, for a brought role. */
    static Map<String, Output<String>> dataAccess(Settings.DataAccess data, Output<String> partition) {
        var policies = new LinkedHashMap<String, Output<String>>();
        for (var suffix : DataAccessPolicies.policies("aws", data).keySet()) {
            policies.put(suffix, partition.applyValue(part -> DataAccessPolicies.policies(part, data).get(suffix)));
        }
        return policies;
    }

    /** The data, reference and KMS policies ({@link DataAccessPolicies}) as inline policies of a role. */
    static void attachDataAccess(String rolePrefix, Role role, Settings.DataAccess data, Output<String> partition,
                                 Resource parent) {
        // Which policies exist depends on config only, not on the partition's value.
        dataAccess(data, partition).forEach((suffix, policy) -> new RolePolicy(rolePrefix + "-" + suffix,
                RolePolicyArgs.builder()
                        .role(role.id())
                        .policy(policy)
                        .build(), CustomResourceOptions.builder().parent(parent).build()));
    }
}
