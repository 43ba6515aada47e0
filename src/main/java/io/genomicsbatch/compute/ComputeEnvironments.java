package io.genomicsbatch.compute;

import com.pulumi.aws.batch.ComputeEnvironment;
import com.pulumi.aws.batch.ComputeEnvironmentArgs;
import com.pulumi.aws.batch.inputs.ComputeEnvironmentComputeResourcesArgs;
import com.pulumi.aws.batch.inputs.ComputeEnvironmentComputeResourcesEc2ConfigurationArgs;
import com.pulumi.aws.batch.inputs.ComputeEnvironmentComputeResourcesLaunchTemplateArgs;
import com.pulumi.aws.batch.inputs.ComputeEnvironmentUpdatePolicyArgs;
import com.pulumi.aws.ec2.LaunchTemplate;
import com.pulumi.aws.iam.Role;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.Settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Managed EC2 compute environments (one per capacity type) built the way in-place updates need. */
public final class ComputeEnvironments {
    private ComputeEnvironments() {
    }

    /** Amazon Linux 2023 ECS-optimized AMI (Amazon Linux 2 is being retired as the ECS default). */
    public static final String IMAGE_TYPE = "ECS_AL2023";
    /**
     * How long an infrastructure update waits for running jobs before replacing their instances
     * (jobs are never terminated). 360 minutes is the most pulumi-aws 6.83.0 accepts.
     */
    public static final int UPDATE_TIMEOUT_MINUTES = 360;
    /** Batch moves desiredVcpus itself; managing it would show drift on every preview. */
    public static final String IGNORED_DESIRED_VCPUS = "computeResources.desiredVcpus";

    /** What every compute environment shares: where hosts run, as whom, from which template. */
    public record Shared(List<String> instanceTypes, Output<List<String>> subnetIds, Output<String> securityGroupId,
                         Output<String> instanceProfileArn, LaunchTemplate launchTemplate,
                         List<Resource> iamDependencies, Map<String, String> tags, boolean protect) {
    }

    /**
     * @param namePrefix    the compute environment's name prefix: never a fixed name, so that a
     *                      replacement can be created before the old one is deleted
     * @param spotFleetRole required when {@link Settings.Capacity#needsSpotFleetRole()}
     */
    public static ComputeEnvironment create(String name, String namePrefix, Settings.Capacity capacity, Shared shared,
                                            Optional<Role> spotFleetRole, Resource parent) {
        var launchTemplate = shared.launchTemplate();
        var resources = ComputeEnvironmentComputeResourcesArgs.builder()
                .type(capacity.type().batchType())
                .allocationStrategy(capacity.allocationStrategy().name())
                .minVcpus(capacity.minVcpus())
                .maxVcpus(capacity.maxVcpus())
                .instanceTypes(shared.instanceTypes())
                .subnets(shared.subnetIds())
                .securityGroupIds(shared.securityGroupId().applyValue(List::of))
                // The instance profile ARN: Batch rejects a role ARN here.
                .instanceRole(shared.instanceProfileArn())
                // Pinned to the template's latest version, so a template change is a visible update.
                .launchTemplate(ComputeEnvironmentComputeResourcesLaunchTemplateArgs.builder()
                        .launchTemplateId(launchTemplate.id())
                        .version(launchTemplate.latestVersion().applyValue(String::valueOf))
                        .build())
                .ec2Configurations(ComputeEnvironmentComputeResourcesEc2ConfigurationArgs.builder()
                        .imageType(IMAGE_TYPE)
                        .build())
                .tags(shared.tags());
        capacity.bidPercentage().ifPresent(resources::bidPercentage);
        if (capacity.needsSpotFleetRole()) {
            resources.spotIamFleetRole(spotFleetRole
                    .orElseThrow(() -> new IllegalArgumentException("Spot with BEST_FIT needs a Spot fleet role"))
                    .arn());
        }

        var dependencies = new java.util.ArrayList<>(shared.iamDependencies());
        spotFleetRole.filter(r -> capacity.needsSpotFleetRole()).ifPresent(dependencies::add);
        return new ComputeEnvironment(name, ComputeEnvironmentArgs.builder()
                .computeEnvironmentNamePrefix(namePrefix)
                .type("MANAGED")
                .state("ENABLED")
                .computeResources(resources.build())
                .updatePolicy(ComputeEnvironmentUpdatePolicyArgs.builder()
                        .terminateJobsOnUpdate(false)
                        .jobExecutionTimeoutMinutes(UPDATE_TIMEOUT_MINUTES)
                        .build())
                .tags(shared.tags())
                .build(), CustomResourceOptions.builder()
                .parent(parent)
                // Deleting the environment before its policies avoids one stuck in DELETING.
                .dependsOn(dependencies)
                .ignoreChanges(IGNORED_DESIRED_VCPUS)
                .protect(shared.protect())
                .build());
    }
}
