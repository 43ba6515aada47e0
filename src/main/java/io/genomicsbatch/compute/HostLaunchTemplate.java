package io.genomicsbatch.compute;

import com.pulumi.aws.ec2.LaunchTemplate;
import com.pulumi.aws.ec2.LaunchTemplateArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateBlockDeviceMappingArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateBlockDeviceMappingEbsArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateMetadataOptionsArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateTagSpecificationArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.ImageType;
import io.genomicsbatch.config.Settings;

import java.util.List;
import java.util.Map;

/**
 * The EC2 launch template of the genomics hosts. Batch ignores instance type, profile, market
 * options and network interfaces here, so the template carries only storage, metadata options,
 * user data and tags.
 */
public final class HostLaunchTemplate {
    private HostLaunchTemplate() {
    }

    /** Root device of the ECS-optimized Amazon Linux 2023 AMIs (with and without GPU). */
    public static final String ROOT_DEVICE = "/dev/xvda";
    /** The scratch volume; 20-scratch-volume.sh mounts it at /scratch. */
    public static final String SCRATCH_DEVICE = "/dev/xvdb";
    public static final String SCRATCH_MOUNT = "/scratch";
    /** IMDSv2 only; hop limit 1 keeps containers (one hop further) off the instance credentials. */
    public static final int METADATA_HOP_LIMIT = 1;

    /**
     * @param imageType the AMI family the template's hosts run (its root volume size)
     * @param storage   the data volume
     */
    public record Props(String logicalName, ImageType imageType, Settings.Storage storage, Map<String, String> tags,
                        Resource parent) {
    }

    public static LaunchTemplate create(Props p) {
        var tags = p.tags();
        var tagged = List.of("instance", "volume", "network-interface").stream()
                .map(type -> LaunchTemplateTagSpecificationArgs.builder().resourceType(type).tags(tags).build())
                .toList();
        return new LaunchTemplate(p.logicalName(), LaunchTemplateArgs.builder()
                .description("Genomics Batch hosts: encrypted gp3 root and scratch volumes, IMDSv2, ECS agent settings")
                .updateDefaultVersion(true)
                .blockDeviceMappings(
                        encryptedGp3(ROOT_DEVICE, p.imageType().rootVolumeGiB()),
                        encryptedGp3(SCRATCH_DEVICE, p.storage().initialGiB()))
                .metadataOptions(LaunchTemplateMetadataOptionsArgs.builder()
                        .httpEndpoint("enabled")
                        .httpTokens("required")
                        .httpPutResponseHopLimit(METADATA_HOP_LIMIT)
                        .build())
                .userData(UserData.base64())
                .tagSpecifications(tagged)
                .tags(tags)
                .build(), CustomResourceOptions.builder().parent(p.parent()).build());
    }

    private static LaunchTemplateBlockDeviceMappingArgs encryptedGp3(String device, int sizeGiB) {
        return LaunchTemplateBlockDeviceMappingArgs.builder()
                .deviceName(device)
                .ebs(LaunchTemplateBlockDeviceMappingEbsArgs.builder()
                        .volumeType("gp3")
                        .volumeSize(sizeGiB)
                        .encrypted("true")
                        .deleteOnTermination("true")
                        .build())
                .build();
    }
}
