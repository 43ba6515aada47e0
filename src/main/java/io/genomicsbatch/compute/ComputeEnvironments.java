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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Managed EC2 compute environments, one per {@link Settings.ComputeEnvironmentSpec}, built the way in-place updates need. */
public final class ComputeEnvironments {
    private ComputeEnvironments() {
    }

    /**
     * How long an infrastructure update waits for running jobs before replacing their instances
     * (jobs are never terminated). 360 minutes is the most pulumi-aws 6.83.0 accepts.
     */
    public static final int UPDATE_TIMEOUT_MINUTES = 360;
    /**
     * How long {@code pulumi up} waits for an update to report VALID: fixed at the Terraform SDK's
     * default. terraform-provider-aws's compute environment declares no timeouts, so Pulumi's
     * bridge ignores a {@code customTimeouts} option on it (with a warning): none is set here, and
     * the README says what a drain longer than this looks like.
     */
    public static final Duration PROVIDER_UPDATE_WAIT = Duration.ofMinutes(20);
    /** Batch moves desiredVcpus itself; managing it would show drift on every preview. */
    public static final String IGNORED_DESIRED_VCPUS = "computeResources.desiredVcpus";

    /**
     * @param namePrefix         the AWS name prefix: never a fixed name, so that a replacement can be
     *                           created before the old one is deleted
     * @param launchTemplate     the template of this environment's image type
     * @param spotFleetRole      required when {@link Settings.ComputeEnvironmentSpec#needsSpotFleetRole()}
     * @param iamDependencies    policy attachments the environment must wait for and outlive
     * @param tags               the compute environment's own tags (updated in place)
     * @param instanceTags       {@code computeResources.tags}: the program's fixed tags only, as since the
     *                           first release. A change there replaces the compute environment (or, for
     *                           in-place strategies, rebuilds its instances), so the stack's tags reach the
     *                           instances through the launch template's tag specifications instead.
     * @param imageId            the pinned AMI ({@code imageIdOverride}); empty: Batch picks the image of the
     *                           image type, as before pinning existed
     */
    public record Props(String logicalName, String namePrefix, Settings.ComputeEnvironmentSpec spec,
                        Output<List<String>> subnetIds, Output<String> securityGroupId,
                        Output<String> instanceProfileArn, LaunchTemplate launchTemplate, Optional<Role> spotFleetRole,
                        List<Resource> iamDependencies, Map<String, String> tags, Map<String, String> instanceTags,
                        boolean protect, Resource parent, Optional<Output<String>> imageId) {
    }

    /**
     * The image type and, when pinned, the image. A new image updates the environment in place with
     * BEST_FIT_PROGRESSIVE and SPOT_CAPACITY_OPTIMIZED, and replaces it with the other strategies
     * (terraform-provider-aws's CustomizeDiff; {@link io.genomicsbatch.config.AllocationStrategy#updatesInPlace()}).
     */
    private static ComputeEnvironmentComputeResourcesEc2ConfigurationArgs ec2Configuration(
            Settings.ComputeEnvironmentSpec spec, Optional<Output<String>> imageId) {
        var configuration = ComputeEnvironmentComputeResourcesEc2ConfigurationArgs.builder()
                .imageType(spec.imageType().name());
        imageId.ifPresent(configuration::imageIdOverride);
        return configuration.build();
    }

    public static ComputeEnvironment create(Props p) {
        var spec = p.spec();
        var resources = ComputeEnvironmentComputeResourcesArgs.builder()
                .type(spec.capacity().batchType())
                .allocationStrategy(spec.allocationStrategy().name())
                .minVcpus(spec.minVcpus())
                .maxVcpus(spec.maxVcpus())
                .instanceTypes(spec.instanceTypes())
                .subnets(p.subnetIds())
                .securityGroupIds(p.securityGroupId().applyValue(List::of))
                // The instance profile ARN: Batch rejects a role ARN here.
                .instanceRole(p.instanceProfileArn())
                // Pinned to the template's latest version, so a template change is a visible update.
                .launchTemplate(ComputeEnvironmentComputeResourcesLaunchTemplateArgs.builder()
                        .launchTemplateId(p.launchTemplate().id())
                        .version(p.launchTemplate().latestVersion().applyValue(String::valueOf))
                        .build())
                .ec2Configurations(ec2Configuration(spec, p.imageId()))
                .tags(p.instanceTags());
        spec.bidPercentage().ifPresent(resources::bidPercentage);
        var dependencies = new ArrayList<>(p.iamDependencies());
        if (spec.needsSpotFleetRole()) {
            var role = p.spotFleetRole()
                    .orElseThrow(() -> new IllegalArgumentException("Spot with BEST_FIT needs a Spot fleet role"));
            resources.spotIamFleetRole(role.arn());
            dependencies.add(role);
        }
        return new ComputeEnvironment(p.logicalName(), ComputeEnvironmentArgs.builder()
                .computeEnvironmentNamePrefix(p.namePrefix())
                .type("MANAGED")
                .state("ENABLED")
                .computeResources(resources.build())
                .updatePolicy(ComputeEnvironmentUpdatePolicyArgs.builder()
                        .terminateJobsOnUpdate(false)
                        .jobExecutionTimeoutMinutes(UPDATE_TIMEOUT_MINUTES)
                        .build())
                .tags(p.tags())
                .build(), CustomResourceOptions.builder()
                .parent(p.parent())
                // Deleting the environment before its policies avoids one stuck in DELETING.
                .dependsOn(dependencies)
                .ignoreChanges(IGNORED_DESIRED_VCPUS)
                .protect(p.protect())
                .build());
    }
}
