package io.genomicsbatch.compute;

import com.pulumi.aws.ec2.LaunchTemplate;
import com.pulumi.aws.ec2.LaunchTemplateArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateBlockDeviceMappingArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateBlockDeviceMappingEbsArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateMetadataOptionsArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateTagSpecificationArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.ImageType;
import io.genomicsbatch.config.Settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The EC2 launch template of the genomics hosts. Batch ignores instance type, profile, market
 * options and network interfaces here, so the template carries only storage, metadata options,
 * shutdown behaviour, user data and tags.
 */
public final class HostLaunchTemplate {
    private HostLaunchTemplate() {
    }

    /** Root device of the ECS-optimized Amazon Linux 2023 AMIs (with and without GPU). */
    public static final String ROOT_DEVICE = "/dev/xvda";
    /**
     * The gp3 data volume: the data storage of hosts without NVMe instance storage, and their first
     * growth step on hosts with it (20-host-storage.sh, 40-storage-growth.sh).
     */
    public static final String SCRATCH_DEVICE = "/dev/xvdb";
    public static final String SCRATCH_MOUNT = "/scratch";
    /**
     * IMDSv2 only (session tokens), hop limit 1. This does NOT keep jobs away from the instance
     * metadata: AWS Batch runs EC2 jobs in host network mode, where a container is no extra hop. What
     * protects the instance credentials is that the instance role can do little (see BatchIam and
     * HostStorageGrowth) and that jobs get their own credentials from ECS task roles.
     */
    public static final int METADATA_HOP_LIMIT = 1;
    /** What the template tags at launch: the instance, its volumes and its network interfaces. */
    public static final List<String> TAGGED_AT_LAUNCH = List.of("instance", "volume", "network-interface");
    /** A host whose provisioning fails powers itself off; this makes that a termination, so Batch replaces it. */
    public static final String SHUTDOWN_BEHAVIOR = "terminate";

    /**
     * @param imageType      the AMI family the template's hosts run (its root volume size)
     * @param storage        the data volume and its growth
     * @param hosts          boot watchdog and AWS CLI settings
     * @param environmentTag the value of {@link UserData#TAG_KEY} on instances and volumes (scopes storage growth)
     * @param sharedMount    the shared file system every host mounts; empty: none
     */
    public record Props(String logicalName, ImageType imageType, Settings.Storage storage, Settings.Hosts hosts,
                        String environmentTag, Map<String, String> tags, Optional<HostMount> sharedMount,
                        Resource parent) {
    }

    /**
     * What the hosts mount, once it is known, and what must exist before a host can mount it.
     *
     * @param mount     known once the file system exists (its DNS name)
     * @param dependsOn what a host needs besides (EFS mount targets): the template waits for them
     */
    public record HostMount(Output<UserData.SharedMount> mount, List<Resource> dependsOn) {
        public HostMount {
            dependsOn = List.copyOf(dependsOn);
        }
    }

    public static LaunchTemplate create(Props p) {
        var tags = p.tags();
        // Instances and volumes carry the environment tag: the only ones storage growth may touch.
        var withEnvironment = new TreeMap<>(tags);
        withEnvironment.put(UserData.TAG_KEY, p.environmentTag());
        // No spot-instances-request: the template serves On-Demand hosts too, and EC2 fails a launch whose
        // template tags a resource type the launch does not create; a Spot request is not billed itself.
        var tagged = TAGGED_AT_LAUNCH.stream()
                .map(type -> LaunchTemplateTagSpecificationArgs.builder().resourceType(type)
                        .tags(type.equals("network-interface") ? tags : withEnvironment).build())
                .toList();
        var host = new UserData.Host(p.environmentTag(), p.storage(), p.hosts());
        var options = CustomResourceOptions.builder().parent(p.parent());
        p.sharedMount().ifPresent(m -> options.dependsOn(m.dependsOn()));
        return new LaunchTemplate(p.logicalName(), LaunchTemplateArgs.builder()
                .description("Genomics Batch hosts: encrypted gp3 root and data volumes, IMDSv2, fail-closed provisioning")
                .updateDefaultVersion(true)
                .instanceInitiatedShutdownBehavior(SHUTDOWN_BEHAVIOR)
                .blockDeviceMappings(
                        encryptedGp3(ROOT_DEVICE, p.imageType().rootVolumeGiB(), null),
                        encryptedGp3(SCRATCH_DEVICE, p.storage().initialGiB(), p.storage()))
                .metadataOptions(LaunchTemplateMetadataOptionsArgs.builder()
                        .httpEndpoint("enabled")
                        .httpTokens("required")
                        .httpPutResponseHopLimit(METADATA_HOP_LIMIT)
                        .build())
                .userData(p.sharedMount().map(m -> m.mount().applyValue(mount -> UserData.base64(
                        host.withSharedMount(mount)))).orElseGet(() -> Output.of(UserData.base64(host))))
                .tagSpecifications(tagged)
                .tags(tags)
                .build(), options.build());
    }

    /** An encrypted gp3 volume; with {@code performance}, its IOPS and throughput (else gp3's baseline). */
    private static LaunchTemplateBlockDeviceMappingArgs encryptedGp3(String device, int sizeGiB,
                                                                    Settings.Storage performance) {
        var ebs = LaunchTemplateBlockDeviceMappingEbsArgs.builder()
                .volumeType("gp3")
                .volumeSize(sizeGiB)
                .encrypted("true")
                .deleteOnTermination("true");
        if (performance != null) {
            ebs.iops(performance.iops()).throughput(performance.throughputMiB());
        }
        return LaunchTemplateBlockDeviceMappingArgs.builder().deviceName(device).ebs(ebs.build()).build();
    }
}
