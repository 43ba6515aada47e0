package io.genomicsbatch.filesystem;

import io.genomicsbatch.compute.BatchPart;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.SettingsValidator;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.genomicsbatch.support.AwsAnswers.id;
import static io.genomicsbatch.support.TestStacks.PROD_SUBNETS;
import static io.genomicsbatch.support.TestStacks.PROD_VPC;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.invalidConfig;
import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** sharedFileSystem under the mock engine: what is created, what hosts mount, what is refused. */
@SuppressWarnings("unchecked")
class SharedFileSystemTest {

    static final String SG = "aws:ec2/securityGroup:SecurityGroup";
    static final String INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    static final String EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
    static final String EFS = "aws:efs/fileSystem:FileSystem";
    static final String MOUNT_TARGET = "aws:efs/mountTarget:MountTarget";
    static final String LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem";
    static final String DRA = "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation";
    static final String LT = "aws:ec2/launchTemplate:LaunchTemplate";
    static final String CE = "aws:batch/computeEnvironment:ComputeEnvironment";
    static final String HOSTS = "genomics-batch-host-security-group";
    static final String FS_GROUP = "genomics-batch-shared-fs-security-group";

    static Recorder.Recording stack(String name) {
        return succeeded(TestStacks.runStackFile(name, new AwsAnswers(Map.of(PROD_VPC, PROD_SUBNETS))));
    }

    static String userData(PlannedResource template) {
        return new String(Base64.getDecoder().decode((String) input(template, "userData")), StandardCharsets.US_ASCII);
    }

    static List<Map<String, Object>> rules(PlannedResource group, String direction) {
        var rules = (List<Map<String, Object>>) input(group, direction);
        return rules == null ? List.of() : rules;
    }

    @Test
    void efsIsCreatedEncryptedWithAMountTargetPerSubnetOpenToTheHostsOnNfsOnly() {
        var r = stack("efs");
        var efs = resource(r, "genomics-batch-shared-fs");
        assertThat(efs.type()).isEqualTo(EFS);
        assertThat(input(efs, "encrypted")).isEqualTo(true);
        assertThat(input(efs, "throughputMode")).isEqualTo("elastic");
        assertThat(ofType(r, MOUNT_TARGET)).extracting(t -> input(t, "subnetId"))
                .containsExactlyElementsOf(PROD_SUBNETS);
        assertThat(ofType(r, MOUNT_TARGET)).allSatisfy(t -> {
            assertThat(input(t, "fileSystemId")).isEqualTo(id("genomics-batch-shared-fs"));
            assertThat(input(t, "securityGroups")).isEqualTo(List.of(id(FS_GROUP)));
        });
        // The file system's group: no inline rule; one ingress rule, NFS from the hosts' group.
        var group = resource(r, FS_GROUP);
        assertThat(group.inputs()).doesNotContainKeys("ingress", "egress");
        assertThat(ofType(r, EGRESS)).isEmpty();
        assertThat(ofType(r, INGRESS)).singleElement().satisfies(rule -> {
            assertThat(input(rule, "securityGroupId")).isEqualTo(id(FS_GROUP));
            assertThat(input(rule, "referencedSecurityGroupId")).isEqualTo(id(HOSTS));
            assertThat(List.of(input(rule, "ipProtocol"), input(rule, "fromPort"), input(rule, "toPort")))
                    .containsExactly("tcp", 2049.0, 2049.0);
        });
        // The hosts reach it on NFS only, and still take no inbound connection.
        var hosts = resource(r, HOSTS);
        assertThat(rules(hosts, "egress")).filteredOn(e -> e.containsKey("securityGroups")).singleElement()
                .satisfies(e -> {
                    assertThat(e.get("securityGroups")).isEqualTo(List.of(id(FS_GROUP)));
                    assertThat(List.of(e.get("fromPort"), e.get("toPort"))).containsExactly(2049.0, 2049.0);
                });
        assertThat(rules(hosts, "ingress")).isEmpty();
        // The compute environments keep every subnet.
        assertThat(ofType(r, CE)).allSatisfy(ce -> assertThat(input(ce, "computeResources", "subnets"))
                .isEqualTo(PROD_SUBNETS));
        assertThat(r.outputs()).containsEntry("sharedFileSystemId", id("genomics-batch-shared-fs"))
                .containsEntry("sharedFileSystemMountPath", "/mnt/shared");
    }

    @Test
    void hostsMountEfsByItsDnsNameOnlyOnceItsMountTargetsExist() {
        var r = stack("efs");
        var template = resource(r, "genomics-batch-host-launch-template");
        var files = UserData.files(userData(template));
        assertThat(files.keySet()).containsSequence("50-scratch-cleanup.sh", UserData.SHARED_FILE_SYSTEM_PART,
                "90-release-ecs.sh");
        assertThat(files.get(UserData.SHARED_FILE_SYSTEM_PART)).contains(
                "type=nfs4 src='" + id("genomics-batch-shared-fs") + ".efs.us-east-1.amazonaws.com:/' dir=/mnt/shared\n",
                " nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev,nofail 0 0");
        // A host launched before its mount targets exist could not mount: the template waits for them.
        assertThat(template.dependsOn()).containsAll(ofType(r, MOUNT_TARGET).stream().map(PlannedResource::name).toList());
        assertThat(BatchPart.merge(userData(template)).getBytes(StandardCharsets.US_ASCII).length)
                .isLessThanOrEqualTo(UserData.BUDGET_BYTES);
    }

    @Test
    void fsxForLustreLivesInTheFirstSubnetAndKeepsTheHostsThere() {
        var r = stack("fsx");
        var lustre = resource(r, "genomics-batch-shared-fs");
        assertThat(lustre.type()).isEqualTo(LUSTRE);
        assertThat(input(lustre, "subnetIds")).isEqualTo(PROD_SUBNETS.get(0));
        assertThat(input(lustre, "securityGroupIds")).isEqualTo(List.of(id(FS_GROUP)));
        assertThat(input(lustre, "deploymentType")).isEqualTo("PERSISTENT_2");
        assertThat(input(lustre, "storageCapacity")).isEqualTo(2400.0);
        assertThat(input(lustre, "perUnitStorageThroughput")).isEqualTo(250.0);
        assertThat(input(lustre, "storageType")).isEqualTo("SSD");
        assertThat(input(lustre, "fileSystemTypeVersion")).isEqualTo("2.15");
        assertThat(ofType(r, CE)).isNotEmpty().allSatisfy(ce -> assertThat(input(ce, "computeResources", "subnets"))
                .isEqualTo(List.of(PROD_SUBNETS.get(0))));
        // The S3 prefix, linked at the root and imported as it changes.
        var dra = resource(r, "genomics-batch-shared-fs-data-repository");
        assertThat(dra.type()).isEqualTo(DRA);
        assertThat(input(dra, "fileSystemId")).isEqualTo(id("genomics-batch-shared-fs"));
        assertThat(input(dra, "fileSystemPath")).isEqualTo("/");
        assertThat(input(dra, "dataRepositoryPath")).isEqualTo("s3://acme-genomics-reference/grch38");
        assertThat(input(dra, "s3", "autoImportPolicy", "events")).isEqualTo(List.of("NEW", "CHANGED", "DELETED"));
        // The plan says why the hosts stay in one subnet.
        var settings = ConfigReader.read(StackFiles.load(TestStacks.PROJECT_DIR, "fsx").source()).orThrow();
        assertThat(SettingsValidator.warnings(settings)).anySatisfy(w -> assertThat(w)
                .startsWith("genomics-batch:sharedFileSystem.type = fsx-lustre:").contains(PROD_SUBNETS.get(0)));
    }

    @Test
    void lustrePortsAreOpenBetweenTheHostsTheFileServersAndEachOther() {
        var r = stack("fsx");
        // The file servers' group: 988 and 1018-1023 from and to the hosts and itself.
        for (var type : List.of(INGRESS, EGRESS)) {
            assertThat(ofType(r, type)).extracting(rule -> List.of(input(rule, "referencedSecurityGroupId"),
                            input(rule, "fromPort"), input(rule, "toPort")))
                    .containsExactlyInAnyOrder(List.of(id(HOSTS), 988.0, 988.0), List.of(id(HOSTS), 1018.0, 1023.0),
                            List.of(id(FS_GROUP), 988.0, 988.0), List.of(id(FS_GROUP), 1018.0, 1023.0));
            assertThat(ofType(r, type)).allSatisfy(rule -> {
                assertThat(input(rule, "securityGroupId")).isEqualTo(id(FS_GROUP));
                assertThat(input(rule, "ipProtocol")).isEqualTo("tcp");
            });
        }
        // The hosts: out to the file servers, and in from them only (Lustre servers connect back).
        var hosts = resource(r, HOSTS);
        for (var direction : List.of("egress", "ingress")) {
            assertThat(rules(hosts, direction)).filteredOn(e -> e.containsKey("securityGroups"))
                    .extracting(e -> List.of(e.get("securityGroups"), e.get("fromPort"), e.get("toPort")))
                    .containsExactly(List.of(List.of(id(FS_GROUP)), 988.0, 988.0),
                            List.of(List.of(id(FS_GROUP)), 1018.0, 1023.0));
        }
        assertThat(rules(hosts, "ingress")).allSatisfy(e -> assertThat(e).doesNotContainKeys("cidrBlocks", "ipv6CidrBlocks"));
        // Hosts mount it by its DNS and mount names, with the Lustre client's options.
        var files = UserData.files(userData(resource(r, "genomics-batch-host-launch-template")));
        assertThat(files.get(UserData.SHARED_FILE_SYSTEM_PART)).contains("type=lustre src='"
                + id("genomics-batch-shared-fs") + ".fsx.us-east-1.amazonaws.com@tcp:/" + AwsAnswers.LUSTRE_MOUNT_NAME
                + "' dir=/fsx\n", " relatime,flock,_netdev,nofail 0 0");
    }

    @Test
    void anExistingFileSystemIsMountedAsIsAndNothingIsCreatedForIt() {
        var r = succeeded(TestStacks.run("dev", Map.of("sharedFileSystem",
                "{\"type\":\"fsx-lustre\",\"existingId\":\"fs-0123456789abcdef0\",\"mountName\":\"x7y8z9ab\"}",
                "sharedFileSystemSecurityGroupIds", "[\"sg-0123456789abcdef0\"]")));
        assertThat(r.resources()).extracting(PlannedResource::type).doesNotContain(EFS, LUSTRE, MOUNT_TARGET, INGRESS,
                EGRESS, DRA);
        assertThat(ofType(r, SG)).extracting(PlannedResource::name).containsExactly(HOSTS);
        var files = UserData.files(userData(resource(r, "genomics-batch-host-launch-template")));
        assertThat(files.get(UserData.SHARED_FILE_SYSTEM_PART)).contains(
                "src='fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com@tcp:/x7y8z9ab'");
        assertThat(r.outputs()).containsEntry("sharedFileSystemId", "fs-0123456789abcdef0");
        // The GPU template mounts it too.
        var gpu = succeeded(TestStacks.run("dev", Map.of("gpuMaxVcpus", "8", "sharedFileSystem",
                "{\"type\":\"efs\",\"existingId\":\"fs-0123456789abcdef0\"}", "allowAllEgress", "true")));
        assertThat(UserData.files(userData(resource(gpu, "genomics-batch-gpu-host-launch-template"))))
                .containsKey(UserData.SHARED_FILE_SYSTEM_PART);
    }

    @Test
    void theEngineConfigsMountItIntoEveryTask() {
        var outputs = stack("efs").outputs();
        assertThat((String) outputs.get("nextflowConfig")).contains("volumes = ['/scratch/tasks:/tmp', '/mnt/shared']");
        assertThat((String) outputs.get("cromwellBackendConfig")).contains("disks = \"local-disk, /mnt/shared\"");
    }

    @Test
    void withTheLongestMountPathTheUserDataStillFitsEc2sLimit() {
        var path = "/" + "p".repeat(io.genomicsbatch.config.SharedFileSystemRules.MAX_MOUNT_PATH_LENGTH - 1);
        var r = succeeded(TestStacks.run("dev", Map.of("sharedFileSystem", "{\"type\":\"fsx-lustre\","
                + "\"existingId\":\"fs-0123456789abcdef0\",\"mountName\":\"x7y8z9ab\",\"mountPath\":\"" + path + "\"}",
                "allowAllEgress", "true")));
        var raw = BatchPart.merge(userData(resource(r, "genomics-batch-host-launch-template")))
                .getBytes(StandardCharsets.US_ASCII).length;
        assertThat(raw).isLessThanOrEqualTo(UserData.MAX_BYTES);
    }

    static Stream<Arguments> badSharedFileSystems() {
        var efsExisting = "\"type\":\"efs\",\"existingId\":\"fs-0123456789abcdef0\"";
        return Stream.of(
                // sharedFileSystem, other keys, the problem's start, what it says is allowed
                arguments("{\"type\":\"nfs\"}", Map.of(), "sharedFileSystem.type: got \"nfs\"", "[efs, fsx-lustre]"),
                arguments("{\"mountPath\":\"/data\"}", Map.of(), "sharedFileSystem: got", "expected a type"),
                arguments("[\"efs\"]", Map.of(), "sharedFileSystem: got", "a mapping of its fields"),
                arguments("{\"type\":\"efs\",\"size\":5}", Map.of(), "sharedFileSystem: got \"{\"type\":\"efs\",\"size\":5}\"",
                        "\"size\" is not one of its fields [type, existingId"),
                arguments("{" + efsExisting + ",\"mountPath\":\"shared\"}", SG_IDS, "sharedFileSystem.mountPath: got "
                        + "\"shared\"", "expected an absolute path"),
                arguments("{" + efsExisting + ",\"mountPath\":\"/scratch/ref\"}", SG_IDS,
                        "sharedFileSystem.mountPath: got \"/scratch/ref\"", "not at or under /scratch"),
                arguments("{" + efsExisting + ",\"mountPath\":\"/var/lib/genomics-batch/data/x\"}", SG_IDS,
                        "sharedFileSystem.mountPath:", "not at or under /var/lib/genomics-batch"),
                arguments("{" + efsExisting + ",\"mountPath\":\"/etc\"}", SG_IDS, "sharedFileSystem.mountPath:",
                        "not at or under /etc"),
                arguments("{" + efsExisting + ",\"mountPath\":\"/mnt/../scratch\"}", SG_IDS,
                        "sharedFileSystem.mountPath:", "expected an absolute path"),
                arguments("{" + efsExisting + ",\"mountPath\":\"/mnt/shared/\"}", SG_IDS,
                        "sharedFileSystem.mountPath:", "expected an absolute path"),
                arguments("{" + efsExisting + ",\"mountPath\":\"/mnt/my data\"}", SG_IDS,
                        "sharedFileSystem.mountPath:", "expected an absolute path"),
                arguments("{\"type\":\"efs\",\"existingId\":\"fs-12\"}", SG_IDS, "sharedFileSystem.existingId: got "
                        + "\"fs-12\"", "8-40 hex digits"),
                arguments("{\"type\":\"efs\",\"existingId\":\"arn:aws:elasticfilesystem:us-east-1:123456789012:"
                        + "file-system/fs-0123456789abcdef0\"}", SG_IDS, "sharedFileSystem.existingId:", "not the ARN"),
                arguments("{" + efsExisting + "}", Map.of(), "sharedFileSystem.existingId: got",
                        "sharedFileSystemSecurityGroupIds empty"),
                arguments("{\"type\":\"efs\"}", Map.of(), "subnetIds: got []", "needs the hosts' subnets listed"),
                arguments("{\"type\":\"efs\",\"storageCapacityGiB\":1200}", SUBNETS,
                        "sharedFileSystem.storageCapacityGiB: got 1200", "only for type fsx-lustre"),
                arguments("{\"type\":\"fsx-lustre\",\"storageCapacityGiB\":1000}", SUBNETS,
                        "sharedFileSystem.storageCapacityGiB: got 1000", "1200, 2400 or a multiple of 2400"),
                arguments("{\"type\":\"fsx-lustre\",\"storageCapacityGiB\":3600}", SUBNETS,
                        "sharedFileSystem.storageCapacityGiB: got 3600", "1200, 2400 or a multiple of 2400"),
                arguments("{\"type\":\"fsx-lustre\",\"storageCapacityGiB\":\"lots\"}", SUBNETS,
                        "sharedFileSystem.storageCapacityGiB: got \"lots\"", "whole number"),
                arguments("{\"type\":\"fsx-lustre\",\"deploymentType\":\"SCRATCH_1\"}", SUBNETS,
                        "sharedFileSystem.deploymentType: got \"SCRATCH_1\"", "SCRATCH_1 is not offered"),
                arguments("{\"type\":\"fsx-lustre\",\"deploymentType\":\"PERSISTENT_2\"}", SUBNETS,
                        "sharedFileSystem.perUnitStorageThroughput: missing", "[125, 250, 500, 1000]"),
                arguments("{\"type\":\"fsx-lustre\",\"deploymentType\":\"PERSISTENT_1\",\"perUnitStorageThroughput\":125}",
                        SUBNETS, "sharedFileSystem.perUnitStorageThroughput: got 125", "[50, 100, 200]"),
                arguments("{\"type\":\"fsx-lustre\",\"perUnitStorageThroughput\":125}", SUBNETS,
                        "sharedFileSystem.perUnitStorageThroughput: got 125", "only for PERSISTENT_1 and PERSISTENT_2"),
                arguments("{\"type\":\"fsx-lustre\",\"dataRepositoryPath\":\"acme-reference\"}", SUBNETS,
                        "sharedFileSystem.dataRepositoryPath: got \"acme-reference\"", "s3://BUCKET"),
                arguments("{\"type\":\"fsx-lustre\",\"mountName\":\"abcdefgh\"}", SUBNETS,
                        "sharedFileSystem.mountName: got \"abcdefgh\"", "only with existingId"),
                arguments("{\"type\":\"fsx-lustre\",\"existingId\":\"fs-0123456789abcdef0\"}", SG_IDS,
                        "sharedFileSystem.mountName: missing", "describe-file-systems"),
                arguments("{\"type\":\"fsx-lustre\",\"existingId\":\"fs-0123456789abcdef0\",\"mountName\":\"abc/def\"}",
                        SG_IDS, "sharedFileSystem.mountName: got \"abc/def\"", "1-8 letters"),
                arguments("{\"type\":\"fsx-lustre\",\"existingId\":\"fs-0123456789abcdef0\",\"mountName\":\"fsx\","
                        + "\"storageCapacityGiB\":1200}", SG_IDS, "sharedFileSystem.storageCapacityGiB: got 1200",
                        "not with existingId"));
    }

    static final Map<String, String> SG_IDS = Map.of("sharedFileSystemSecurityGroupIds", "[\"sg-0123456789abcdef0\"]");
    static final Map<String, String> SUBNETS = Map.of("subnetIds", "[\"subnet-0aaaaaaaaaaaaaaa1\"]");

    @ParameterizedTest
    @MethodSource("badSharedFileSystems")
    void badSettingsAreRefusedBeforeAnythingIsRegistered(String value, Map<String, String> others, String problem,
                                                          String allowed) {
        var config = new java.util.HashMap<>(others);
        config.put("sharedFileSystem", value);
        var answers = new AwsAnswers();
        var recording = TestStacks.run("dev", ConfigSource.of(config), answers);
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:" + problem).contains(allowed));
        assertThat(recording.resources()).as("resources registered").isEmpty();
        assertThat(answers.invokes()).as("lookups made").isEmpty();
    }
}
