package io.genomicsbatch.filesystem;

import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.efs.FileSystem;
import com.pulumi.aws.efs.FileSystemArgs;
import com.pulumi.aws.efs.MountTarget;
import com.pulumi.aws.efs.MountTargetArgs;
import com.pulumi.aws.fsx.DataRepositoryAssociation;
import com.pulumi.aws.fsx.DataRepositoryAssociationArgs;
import com.pulumi.aws.fsx.LustreFileSystem;
import com.pulumi.aws.fsx.LustreFileSystemArgs;
import com.pulumi.aws.fsx.inputs.DataRepositoryAssociationS3Args;
import com.pulumi.aws.fsx.inputs.DataRepositoryAssociationS3AutoImportPolicyArgs;
import com.pulumi.aws.vpc.SecurityGroupEgressRule;
import com.pulumi.aws.vpc.SecurityGroupEgressRuleArgs;
import com.pulumi.aws.vpc.SecurityGroupIngressRule;
import com.pulumi.aws.vpc.SecurityGroupIngressRuleArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.compute.HostLaunchTemplate;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.FileSystemType;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.iam.AwsAccount;
import io.genomicsbatch.network.HostSecurityGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared file system (sharedFileSystem): created with its security group, mount targets (EFS, one
 * per listed subnet) or subnet (FSx for Lustre) and optional S3 data repository association, or an
 * existing one by ID. Either way, what every host mounts ({@link UserData.SharedMount}).
 */
public final class SharedFileSystems {
    private SharedFileSystems() {
    }

    /** EFS's storage is encrypted at rest; Elastic throughput scales with use instead of with stored bytes. */
    public static final String EFS_THROUGHPUT_MODE = "elastic";
    /** The Lustre version of a created file system: AL2023's lustre-client (2.15) matches it. */
    public static final String LUSTRE_VERSION = "2.15";
    /** The data repository is linked at the file system's root and imported as S3 changes. */
    public static final String DATA_REPOSITORY_FILE_SYSTEM_PATH = "/";
    public static final List<String> AUTO_IMPORT_EVENTS = List.of("NEW", "CHANGED", "DELETED");

    /**
     * What the environment built or looked up.
     *
     * @param mount           what hosts mount (their user data carries it)
     * @param fileSystemId    the file system's ID (an output)
     * @param hostDependencies what must exist before a host mounts it (the mount targets)
     */
    public record Built(Output<UserData.SharedMount> mount,
                        Output<String> fileSystemId, List<Resource> hostDependencies) {
        /** What the launch templates need: the mount, and what a host must wait for. */
        public HostLaunchTemplate.HostMount hostMount() {
            return new HostLaunchTemplate.HostMount(mount, hostDependencies);
        }
    }

    /**
     * @param subnetIds the hosts' subnets as configured (a created file system needs them listed)
     * @param account   where an existing file system is (its DNS name is made of its ID, region and partition)
     */
    public record Props(String logicalName, Settings.SharedFileSystem settings, Output<String> vpcId,
                        List<String> subnetIds, Optional<Output<AwsAccount>> account, Map<String, String> tags,
                        boolean protect, Resource parent) {
    }

    /** The security group of a file system this stack creates; rules follow once the hosts' group exists. */
    public static Optional<SecurityGroup> securityGroup(Props p) {
        if (!p.settings().created()) {
            return Optional.empty();
        }
        return Optional.of(new SecurityGroup(p.logicalName() + "-security-group", SecurityGroupArgs.builder()
                .description("genomics-batch shared file system: "
                        + p.settings().type().orElseThrow().configName() + " clients (the Batch hosts) only")
                .vpcId(p.vpcId())
                .tags(p.tags())
                .build(), options(p, false)));
    }

    /**
     * The file system, its rules and mount targets, and what hosts mount.
     *
     * @param group       the file system's security group ({@link #securityGroup}), for a created one
     * @param hostGroupId the hosts' security group
     */
    public static Built create(Props p, Optional<SecurityGroup> group, Output<String> hostGroupId) {
        var fs = p.settings();
        var type = fs.type().orElseThrow();
        if (!fs.created()) {
            var id = fs.existingId().orElseThrow();
            var mount = p.account().orElseThrow().applyValue(a -> new UserData.SharedMount(type, source(type, dnsName(type, id, a),
                    fs.mountName().orElse("")), fs.mountPath()));
            return new Built(mount, Output.of(id), List.of());
        }
        var sg = group.orElseThrow();
        rules(p, type, sg, hostGroupId);
        if (type == FileSystemType.EFS) {
            var efs = new FileSystem(p.logicalName(), FileSystemArgs.builder()
                    .encrypted(true)
                    .throughputMode(EFS_THROUGHPUT_MODE)
                    .tags(p.tags())
                    .build(), options(p, p.protect()));
            var targets = new ArrayList<Resource>();
            for (var subnet : p.subnetIds()) {
                targets.add(new MountTarget(p.logicalName() + "-mount-target-" + subnet, MountTargetArgs.builder()
                        .fileSystemId(efs.id())
                        .subnetId(subnet)
                        .securityGroups(sg.id().applyValue(List::of))
                        .build(), options(p, false)));
            }
            var mount = efs.dnsName().applyValue(dns -> new UserData.SharedMount(type, source(type, dns, ""),
                    fs.mountPath()));
            return new Built(mount, efs.id(), List.copyOf(targets));
        }
        var lustreArgs = LustreFileSystemArgs.builder()
                .subnetIds(p.subnetIds().get(0))
                .securityGroupIds(sg.id().applyValue(List::of))
                .storageType("SSD")
                .storageCapacity(fs.lustreGiB())
                .deploymentType(fs.lustreDeploymentType().name())
                .fileSystemTypeVersion(LUSTRE_VERSION)
                .tags(p.tags());
        fs.perUnitStorageThroughput().ifPresent(lustreArgs::perUnitStorageThroughput);
        var lustre = new LustreFileSystem(p.logicalName(), lustreArgs.build(), options(p, p.protect()));
        // The hosts need the file system only (their user data waits for its DNS and mount names), not the link.
        fs.dataRepositoryPath().ifPresent(path -> new DataRepositoryAssociation(
                p.logicalName() + "-data-repository", DataRepositoryAssociationArgs.builder()
                .fileSystemId(lustre.id())
                .fileSystemPath(DATA_REPOSITORY_FILE_SYSTEM_PATH)
                .dataRepositoryPath(path)
                .batchImportMetaDataOnCreate(true)
                .s3(DataRepositoryAssociationS3Args.builder()
                        .autoImportPolicy(DataRepositoryAssociationS3AutoImportPolicyArgs.builder()
                                .events(AUTO_IMPORT_EVENTS).build())
                        .build())
                .tags(p.tags())
                .build(), options(p, false)));
        var mount = Output.tuple(lustre.dnsName(), lustre.mountName()).applyValue(t ->
                new UserData.SharedMount(type, source(type, t.t1, t.t2), fs.mountPath()));
        return new Built(mount, lustre.id(), List.of());
    }

    /**
     * The file system's inbound rules: its clients' ports from the hosts. FSx for Lustre's file servers
     * also talk to each other and to their clients on the same ports (FSx for Lustre user guide, "File
     * system access control with Amazon VPC"), so its group also allows itself and reaches both.
     */
    private static void rules(Props p, FileSystemType type, SecurityGroup sg, Output<String> hostGroupId) {
        var peers = new ArrayList<Map.Entry<String, Output<String>>>();
        peers.add(Map.entry("hosts", hostGroupId));
        if (type == FileSystemType.FSX_LUSTRE) {
            peers.add(Map.entry("itself", sg.id()));
        }
        for (var peer : peers) {
            for (var port : HostSecurityGroup.fileSystemPorts(type)) {
                var suffix = "-" + peer.getKey() + "-" + port.from() + (port.to() == port.from() ? "" : "-" + port.to());
                new SecurityGroupIngressRule(p.logicalName() + "-ingress" + suffix, SecurityGroupIngressRuleArgs.builder()
                        .securityGroupId(sg.id())
                        .referencedSecurityGroupId(peer.getValue())
                        .ipProtocol("tcp")
                        .fromPort(port.from())
                        .toPort(port.to())
                        .description(port.description() + " from " + peer.getKey())
                        .tags(p.tags())
                        .build(), options(p, false));
                if (type == FileSystemType.FSX_LUSTRE) {
                    new SecurityGroupEgressRule(p.logicalName() + "-egress" + suffix, SecurityGroupEgressRuleArgs.builder()
                            .securityGroupId(sg.id())
                            .referencedSecurityGroupId(peer.getValue())
                            .ipProtocol("tcp")
                            .fromPort(port.from())
                            .toPort(port.to())
                            .description(port.description() + " to " + peer.getKey())
                            .tags(p.tags())
                            .build(), options(p, false));
                }
            }
        }
    }

    /** The file system's DNS name, as AWS names it: {@code ID.efs.REGION.SUFFIX} or {@code ID.fsx.REGION.SUFFIX}. */
    static String dnsName(FileSystemType type, String id, AwsAccount account) {
        var suffix = account.partition().equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
        return id + (type == FileSystemType.EFS ? ".efs." : ".fsx.") + account.region() + "." + suffix;
    }

    /** What {@code mount} takes: {@code DNS:/} for NFS, {@code DNS@tcp:/MOUNTNAME} for Lustre. */
    static String source(FileSystemType type, String dnsName, String mountName) {
        return type == FileSystemType.EFS ? dnsName + ":/" : dnsName + "@tcp:/" + mountName;
    }

    private static CustomResourceOptions options(Props p, boolean protect) {
        return CustomResourceOptions.builder().parent(p.parent()).protect(protect).build();
    }
}
