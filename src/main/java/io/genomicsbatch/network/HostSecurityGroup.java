package io.genomicsbatch.network;

import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupEgressArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupIngressArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.FileSystemType;
import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The security group of the Batch hosts: no inbound rule at all (use SSM Session Manager, not SSH),
 * and explicit outbound rules, because Pulumi removes AWS's default allow-all egress and hosts
 * that cannot reach ECS never join the cluster. Jobs run in the host's network (Batch uses host
 * network mode on EC2), so these rules are the jobs' rules too.
 */
public final class HostSecurityGroup {
    private HostSecurityGroup() {
    }

    /** Outbound ports: HTTPS for the ECS, ECR, S3, SSM and CloudWatch APIs; HTTP for package mirrors and public data. */
    static final Map<Integer, String> EGRESS_PORTS = Map.of(
            443, "HTTPS: ECS, ECR, S3, SSM and CloudWatch APIs, container registries",
            80, "HTTP: OS package mirrors and public reference data");

    /** A port range a shared file system of this type needs, to the file system's security group. */
    public record FileSystemPort(int from, int to, String description, FileSystemType type) {
    }

    /** EFS (NFS) and FSx for Lustre: the ports their clients connect to. */
    static final List<FileSystemPort> FILE_SYSTEM_PORTS = List.of(
            new FileSystemPort(2049, 2049, "NFS: EFS (and FSx for OpenZFS/ONTAP) mounts", FileSystemType.EFS),
            new FileSystemPort(988, 988, "Lustre: FSx for Lustre mounts", FileSystemType.FSX_LUSTRE),
            new FileSystemPort(1018, 1023, "Lustre: FSx for Lustre mounts", FileSystemType.FSX_LUSTRE));

    /** The ports of one type of file system (AWS's EFS and FSx for Lustre user guides). */
    public static List<FileSystemPort> fileSystemPorts(FileSystemType type) {
        return FILE_SYSTEM_PORTS.stream().filter(port -> port.type() == type).toList();
    }

    /**
     * EC2 cannot change a group's description (a new one replaces the group, which the compute
     * environments' instances still use), so it stays as first created whatever egress is added.
     */
    static final String DESCRIPTION = "AWS Batch genomics hosts: no inbound access; outbound HTTPS and HTTP only";

    /**
     * @param fileSystem the security group of the shared file system this stack creates, and its type: the
     *                   hosts reach it on its ports (FSx for Lustre: its file servers may connect back too)
     */
    public record Props(String logicalName, Output<String> vpcId, Settings.Network network, Map<String, String> tags,
                        Optional<FileSystemPeer> fileSystem, Resource parent) {
    }

    /** A created shared file system's security group and type. */
    public record FileSystemPeer(FileSystemType type, Output<String> groupId) {
    }

    public static SecurityGroup create(Props p) {
        var egress = new ArrayList<SecurityGroupEgressArgs>();
        EGRESS_PORTS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> SecurityGroupEgressArgs.builder()
                        .description(e.getValue())
                        .protocol("tcp")
                        .fromPort(e.getKey())
                        .toPort(e.getKey())
                        .cidrBlocks("0.0.0.0/0")
                        .build())
                .forEach(egress::add);
        var fileSystems = p.network().sharedFileSystemSecurityGroupIds();
        if (!fileSystems.isEmpty()) {
            for (var port : FILE_SYSTEM_PORTS) {
                egress.add(SecurityGroupEgressArgs.builder()
                        .description(port.description())
                        .protocol("tcp")
                        .fromPort(port.from())
                        .toPort(port.to())
                        .securityGroups(fileSystems)
                        .build());
            }
        }
        var ingress = new ArrayList<SecurityGroupIngressArgs>();
        p.fileSystem().ifPresent(fs -> {
            for (var port : fileSystemPorts(fs.type())) {
                egress.add(SecurityGroupEgressArgs.builder()
                        .description(port.description() + " (sharedFileSystem)")
                        .protocol("tcp")
                        .fromPort(port.from())
                        .toPort(port.to())
                        .securityGroups(fs.groupId().applyValue(List::of))
                        .build());
                // Lustre's file servers may open connections to their clients (FSx for Lustre user guide).
                if (fs.type() == FileSystemType.FSX_LUSTRE) {
                    ingress.add(SecurityGroupIngressArgs.builder()
                            .description(port.description() + " from the file servers (sharedFileSystem)")
                            .protocol("tcp")
                            .fromPort(port.from())
                            .toPort(port.to())
                            .securityGroups(fs.groupId().applyValue(List::of))
                            .build());
                }
            }
        });
        if (p.network().allowAllEgress()) {
            egress.add(SecurityGroupEgressArgs.builder()
                    .description("All outbound traffic (allowAllEgress): FTP inputs, databases, other ports")
                    .protocol("-1")
                    .fromPort(0)
                    .toPort(0)
                    .cidrBlocks("0.0.0.0/0")
                    .ipv6CidrBlocks("::/0")
                    .build());
        }
        var args = SecurityGroupArgs.builder()
                .description(DESCRIPTION)
                .vpcId(p.vpcId())
                .egress(egress)
                .tags(p.tags());
        if (!ingress.isEmpty()) {
            args.ingress(ingress);
        }
        return new SecurityGroup(p.logicalName(), args.build(),
                CustomResourceOptions.builder().parent(p.parent()).build());
    }
}
