package io.genomicsbatch;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.genomicsbatch.compute.BatchPart;
import io.genomicsbatch.compute.HostLaunchTemplate;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.alerts.AlertsTest;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.genomicsbatch.support.AwsAnswers.arn;
import static io.genomicsbatch.support.AwsAnswers.id;
import static io.genomicsbatch.support.TestStacks.PROD_SUBNETS;
import static io.genomicsbatch.support.TestStacks.PROJECT_DIR;
import static io.genomicsbatch.support.TestStacks.PROD_VPC;
import static io.genomicsbatch.support.TestStacks.answersFor;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.run;
import static io.genomicsbatch.support.TestStacks.runStackFile;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** The real program under the mock engine, with the shipped dev and prod stack files and variations. */
@SuppressWarnings("unchecked")
class EnvironmentTest {

    static final String CE = "aws:batch/computeEnvironment:ComputeEnvironment";
    static final String QUEUE = "aws:batch/jobQueue:JobQueue";
    static final String ROLE = "aws:iam/role:Role";
    static final String LT = "aws:ec2/launchTemplate:LaunchTemplate";
    static final String SG = "aws:ec2/securityGroup:SecurityGroup";
    static final String PROFILE = "aws:iam/instanceProfile:InstanceProfile";

    static Recorder.Recording stack(String name) {
        return succeeded(runStackFile(name, answersFor(name)));
    }

    static Recorder.Recording dev() {
        return stack("dev");
    }

    static Recorder.Recording prod() {
        return stack("prod");
    }

    static int number(Object value) {
        return ((Number) value).intValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void registersTheWholeEnvironmentAsChildrenOfOneComponent(String stack) {
        var r = stack(stack);
        var component = resource(r, "genomics-batch");
        assertThat(component.type()).isEqualTo("genomics-batch:index:BatchEnvironment");
        assertThat(component.parent()).isEmpty();
        assertThat(r.resources()).filteredOn(x -> x != component)
                .allSatisfy(x -> assertThat(x.parent()).as(x.name()).contains("genomics-batch"));
        var expected = new ArrayList<>(List.of("genomics-batch", "genomics-batch-host-security-group",
                "genomics-batch-host-launch-template", "genomics-batch-instance-role",
                "genomics-batch-instance-role-AmazonEC2ContainerServiceforEC2Role",
                "genomics-batch-instance-role-AmazonSSMManagedInstanceCore", "genomics-batch-instance-profile",
                "genomics-batch-instance-role-storage-growth",
                "genomics-batch-job-role", "genomics-batch-spot", "genomics-batch-on-demand",
                "genomics-batch-default", "genomics-batch-high-priority", "genomics-batch-head-job",
                "genomics-batch-job-logs", "genomics-batch-head-job-role", "genomics-batch-head-job-role-batch",
                "genomics-batch-submitter-policy",
                // the public reference buckets (the default), read-only for both job roles
                "genomics-batch-job-role-reference-buckets", "genomics-batch-head-job-role-reference-buckets"));
        if (stack.equals("prod")) {
            // prod names data buckets and has private subnets
            expected.addAll(List.of("genomics-batch-job-role-data-buckets", "genomics-batch-head-job-role-data-buckets",
                    "genomics-batch-s3-gateway-endpoint"));
            // and alerts by e-mail with the boot-loop stop (AlertsTest covers each)
            expected.addAll(AlertsTest.ALERT_RESOURCES);
            expected.add(AlertsTest.subscriptionName("genomics-alerts@example.org"));
            expected.addAll(AlertsTest.BOOT_LOOP_RESOURCES);
            // and a budget with its stop (BudgetTest covers each)
            expected.addAll(io.genomicsbatch.budget.BudgetTest.BUDGET_RESOURCES);
        }
        assertThat(r.resources()).extracting(PlannedResource::name).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ofType(r, CE)).hasSize(2);
        assertThat(ofType(r, QUEUE)).hasSize(3);
    }

    @Test
    void looksUpTheDefaultVpcAndItsSubnetsWhenNoneAreConfigured() {
        var r = dev();
        assertThat(input(resource(r, "genomics-batch-host-security-group"), "vpcId")).isEqualTo(AwsAnswers.DEFAULT_VPC);
        assertThat(input(resource(r, "genomics-batch-spot"), "computeResources", "subnets"))
                .isEqualTo(AwsAnswers.DEFAULT_VPC_SUBNETS);
        assertThat(r.outputs()).containsEntry("vpcId", AwsAnswers.DEFAULT_VPC)
                .containsEntry("subnetIds", AwsAnswers.DEFAULT_VPC_SUBNETS);
    }

    @Test
    void usesTheConfiguredVpcAndSubnets() {
        var r = prod();
        assertThat(r.outputs().get("vpcId")).isEqualTo(PROD_VPC);
        assertThat(input(resource(r, "genomics-batch-on-demand"), "computeResources", "subnets"))
                .isEqualTo(PROD_SUBNETS);
    }

    @Test
    void refusesSubnetsThatAreNotInTheVpc() {
        var answers = new AwsAnswers(Map.of("vpc-0a1b2c3d4e5f67890", List.of("subnet-0a1b2c3d4e5f67891")));
        var r = io.genomicsbatch.support.TestStacks.run("prod", io.genomicsbatch.config.ConfigSource.of(Map.of(
                "vpcId", "vpc-0a1b2c3d4e5f67890",
                "subnetIds", "[\"subnet-0a1b2c3d4e5f67891\",\"subnet-0ffffffffffffffff\"]")), answers);
        assertThat(r.exceptions()).isNotEmpty();
        assertThat(rootMessage(r.exceptions().get(0)))
                .contains("genomics-batch:subnetIds", "subnet-0ffffffffffffffff", "vpc-0a1b2c3d4e5f67890");
    }

    static String rootMessage(Throwable t) {
        var messages = new ArrayList<String>();
        for (var c = t; c != null; c = c.getCause()) {
            messages.add(String.valueOf(c.getMessage()));
        }
        return String.join(" / ", messages);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void securityGroupAllowsNoInboundAndExplicitOutboundForEcsEcrS3(String stack) {
        var sg = resource(stack(stack), "genomics-batch-host-security-group");
        assertThat((String) input(sg, "description")).isNotBlank();
        assertThat(sg.inputs()).doesNotContainKey("ingress"); // scanners: no ingress from the internet
        // Pulumi drops AWS's default egress rule; without HTTPS out, hosts never reach ECS (field notes 12).
        var egress = (List<Object>) input(sg, "egress");
        assertThat(egress).isNotEmpty().allSatisfy(rule -> {
            var m = (Map<String, Object>) rule;
            assertThat((String) m.get("description")).isNotBlank();
            assertThat(m.get("protocol")).isEqualTo("tcp");
        });
        assertThat(egress).extracting(rule -> number(((Map<String, Object>) rule).get("fromPort"))).contains(443);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void launchTemplateHasEncryptedGp3VolumesImdsV2AndTags(String stack) {
        var r = stack(stack);
        var lt = resource(r, "genomics-batch-host-launch-template");
        var devices = (List<Object>) input(lt, "blockDeviceMappings");
        assertThat(devices).hasSize(2).allSatisfy(d -> {
            var ebs = (Map<String, Object>) ((Map<String, Object>) d).get("ebs");
            // Security Hub EC2.3 / Checkov CKV_AWS_8: every EBS volume encrypted ("true" is a String in the SDK).
            assertThat(ebs.get("encrypted")).isEqualTo("true");
            assertThat(ebs.get("volumeType")).isEqualTo("gp3");
            assertThat(ebs.get("deleteOnTermination")).isEqualTo("true");
        });
        var root = device(devices, HostLaunchTemplate.ROOT_DEVICE);
        assertThat(number(root.get("volumeSize"))).isEqualTo(50);
        assertThat(root).doesNotContainKeys("iops", "throughput"); // gp3 baseline for the OS
        var data = device(devices, HostLaunchTemplate.SCRATCH_DEVICE);
        assertThat(number(data.get("volumeSize"))).isEqualTo(stack.equals("dev") ? 100 : 500);
        assertThat(number(data.get("iops"))).isEqualTo(3000);
        assertThat(number(data.get("throughput"))).isEqualTo(250);
        // A host whose provisioning fails powers off; that must end the instance so Batch replaces it.
        assertThat(input(lt, "instanceInitiatedShutdownBehavior")).isEqualTo("terminate");
        // IMDSv2 required (Checkov CKV_AWS_79 / Security Hub EC2.170). The hop limit does not keep jobs
        // (host network mode) away from IMDS; it is kept at 1 for anything in a bridge network.
        assertThat(input(lt, "metadataOptions", "httpTokens")).isEqualTo("required");
        assertThat(input(lt, "metadataOptions", "httpEndpoint")).isEqualTo("enabled");
        assertThat(number(input(lt, "metadataOptions", "httpPutResponseHopLimit"))).isEqualTo(1);
        assertThat(lt.inputs()).doesNotContainKeys("networkInterfaces", "iamInstanceProfile", "instanceType",
                "instanceMarketOptions"); // Batch ignores these in a template
        var tagSpecs = (List<Object>) input(lt, "tagSpecifications");
        assertThat(tagSpecs).extracting(t -> ((Map<String, Object>) t).get("resourceType")).contains("instance", "volume");
        assertThat(tagSpecs).allSatisfy(t -> assertThat((Map<String, Object>) ((Map<String, Object>) t).get("tags"))
                .containsEntry("Environment", stack).containsEntry("Project", "genomics-batch"));
        // Instances and volumes carry the tag that storage growth's IAM is scoped by.
        assertThat(tagSpecs).map(t -> (Map<String, Object>) t)
                .filteredOn(t -> List.of("instance", "volume").contains(t.get("resourceType")))
                .hasSize(2).allSatisfy(t -> assertThat((Map<String, Object>) t.get("tags"))
                        .containsEntry(UserData.TAG_KEY, "genomics-batch-" + stack));
        var userData = new String(Base64.getDecoder().decode((String) input(lt, "userData")), StandardCharsets.US_ASCII);
        var settings = ConfigReader.read(StackFiles.load(PROJECT_DIR, stack).source()).orThrow();
        assertThat(userData).isEqualTo(UserData.mime(new UserData.Host("genomics-batch-" + stack, settings.storage(),
                settings.hosts())));
        assertThat(UserData.files(userData).get("00-host-env.sh")).contains("GB_TAG_VALUE=genomics-batch-" + stack
                + "\n", "GB_MAX_GIB=" + (stack.equals("dev") ? 1000 : 5000) + "\n", "GB_BOOT_TIMEOUT_MINUTES=30\n");
        assertThat(BatchPart.merge(userData).getBytes(StandardCharsets.US_ASCII).length)
                .isLessThanOrEqualTo(UserData.BUDGET_BYTES);
        assertThat(r.outputs()).containsEntry("launchTemplateId", id("genomics-batch-host-launch-template"));
    }

    static Map<String, Object> device(List<Object> devices, String name) {
        return devices.stream().map(d -> (Map<String, Object>) d).filter(d -> name.equals(d.get("deviceName")))
                .map(d -> (Map<String, Object>) d.get("ebs")).findFirst().orElseThrow();
    }

    @Test
    void cpuAndGpuLaunchTemplatesBothFitEc2sUserDataLimit() {
        var r = succeeded(run("dev", Map.of("gpuMaxVcpus", "64", "scratchVolumeGiB", "65536",
                "scratchVolumeIops", "80000", "scratchVolumeThroughput", "1000", "scratchMaxGiB", "655360")));
        var templates = ofType(r, LT);
        assertThat(templates).extracting(PlannedResource::name).containsExactlyInAnyOrder(
                "genomics-batch-host-launch-template", "genomics-batch-gpu-host-launch-template");
        for (var lt : templates) {
            var raw = BatchPart.merge(new String(Base64.getDecoder().decode((String) input(lt, "userData")),
                    StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
            assertThat(raw.length).as(lt.name() + " raw user data with Batch's part")
                    .isLessThanOrEqualTo(UserData.BUDGET_BYTES);
            assertThat(input(lt, "instanceInitiatedShutdownBehavior")).isEqualTo("terminate");
            var data = device((List<Object>) input(lt, "blockDeviceMappings"), HostLaunchTemplate.SCRATCH_DEVICE);
            assertThat(number(data.get("iops"))).isEqualTo(80000);
            assertThat(number(data.get("throughput"))).isEqualTo(1000);
            assertThat(number(data.get("volumeSize"))).isEqualTo(65536);
        }
        var gpuRoot = device((List<Object>) input(resource(r, "genomics-batch-gpu-host-launch-template"),
                "blockDeviceMappings"), HostLaunchTemplate.ROOT_DEVICE);
        assertThat(number(gpuRoot.get("volumeSize"))).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void storageGrowthMayTouchOnlyThisEnvironmentsTaggedVolumesAndInstances(String stack) {
        var r = stack(stack);
        var policy = resource(r, "genomics-batch-instance-role-storage-growth");
        assertThat(policy.type()).isEqualTo("aws:iam/rolePolicy:RolePolicy");
        assertThat(input(policy, "role")).isEqualTo(id("genomics-batch-instance-role"));
        var tag = "genomics-batch-" + stack;
        var statements = new java.util.LinkedHashMap<String, JsonObject>();
        var denied = new java.util.TreeMap<String, JsonObject>();
        for (var s : JsonParser.parseString((String) input(policy, "policy")).getAsJsonObject().getAsJsonArray("Statement")) {
            var st = s.getAsJsonObject();
            if (st.get("Effect").getAsString().equals("Deny")) {
                var attribute = st.getAsJsonObject("Condition").getAsJsonObject("Null").keySet().iterator().next();
                denied.put(attribute, st);
                continue;
            }
            assertThat(st.get("Effect").getAsString()).isEqualTo("Allow");
            for (var a : st.getAsJsonArray("Action")) {
                assertThat(statements.put(a.getAsString(), st)).as("one statement per action").isNull();
            }
        }
        assertThat(statements).containsOnlyKeys("ec2:CreateVolume", "ec2:CreateTags", "ec2:AttachVolume",
                "ec2:DetachVolume", "ec2:DeleteVolume", "ec2:ModifyInstanceAttribute", "ec2:DescribeVolumes",
                "cloudwatch:PutMetricData");
        // ModifyInstanceAttribute sets delete-on-termination; requests that set these attributes are denied.
        assertThat(denied).containsOnlyKeys("ec2:Attribute/DisableApiTermination", "ec2:Attribute/DisableApiStop",
                "ec2:Attribute/InstanceInitiatedShutdownBehavior", "ec2:Attribute/GroupSet", "ec2:Attribute/UserData",
                "ec2:Attribute/InstanceType");
        assertThat(denied.values()).allSatisfy(st -> {
            assertThat(st.getAsJsonArray("Action").asList()).extracting(e -> e.getAsString())
                    .containsExactly("ec2:ModifyInstanceAttribute");
            assertThat(st.getAsJsonObject("Condition").getAsJsonObject("Null").entrySet().iterator().next().getValue()
                    .getAsString()).isEqualTo("false");
        });
        // The failure metric: its namespace only.
        assertThat(statements.get("cloudwatch:PutMetricData").getAsJsonObject("Condition")
                .getAsJsonObject("StringEquals").get("cloudwatch:namespace").getAsString())
                .isEqualTo(UserData.METRIC_NAMESPACE);
        var create = statements.get("ec2:CreateVolume");
        assertThat(resources(create)).containsExactly("arn:aws:ec2:*:*:volume/*");
        var createCondition = create.getAsJsonObject("Condition");
        assertThat(createCondition.getAsJsonObject("StringEquals").get("aws:RequestTag/" + UserData.TAG_KEY).getAsString())
                .isEqualTo(tag);
        assertThat(createCondition.getAsJsonObject("StringEquals").get("ec2:VolumeType").getAsString()).isEqualTo("gp3");
        assertThat(createCondition.getAsJsonObject("Bool").get("ec2:Encrypted").getAsString()).isEqualTo("true");
        assertThat(createCondition.getAsJsonObject("NumericLessThanEquals").get("ec2:VolumeSize").getAsInt())
                .isEqualTo(stack.equals("dev") ? 1000 : 5000);
        assertThat(createCondition.getAsJsonObject("ForAllValues:StringEquals").getAsJsonArray("aws:TagKeys").asList())
                .extracting(e -> e.getAsString()).containsExactlyElementsOf(stack.equals("dev")
                        ? List.of(UserData.TAG_KEY, "Environment", "ManagedBy", "Project")
                        // The fixture prod stack's tags (CostCenter, Lab) join ours, sorted.
                        : List.of(UserData.TAG_KEY, "CostCenter", "Environment", "Lab", "ManagedBy", "Project"));
        // Tags only as part of CreateVolume: no re-tagging another environment's volume into this one.
        assertThat(statements.get("ec2:CreateTags").getAsJsonObject("Condition").getAsJsonObject("StringEquals")
                .get("ec2:CreateAction").getAsString()).isEqualTo("CreateVolume");
        for (var action : List.of("ec2:AttachVolume", "ec2:DetachVolume", "ec2:DeleteVolume",
                "ec2:ModifyInstanceAttribute")) {
            var st = statements.get(action);
            assertThat(st.getAsJsonObject("Condition").getAsJsonObject("StringEquals").entrySet())
                    .as(action).singleElement().satisfies(e -> {
                        assertThat(e.getKey()).isEqualTo("ec2:ResourceTag/" + UserData.TAG_KEY);
                        assertThat(e.getValue().getAsString()).isEqualTo(tag);
                    });
            assertThat(resources(st)).as(action).allMatch(a -> a.startsWith("arn:aws:ec2:*:*:"));
        }
        assertThat(resources(statements.get("ec2:AttachVolume")))
                .containsExactly("arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*:*:instance/*");
        // Only DescribeVolumes and PutMetricData (no resource-level permissions exist for them) are on "*".
        assertThat(statements).allSatisfy((action, st) -> assertThat(resources(st).contains("*"))
                .as(action).isEqualTo(List.of("ec2:DescribeVolumes", "cloudwatch:PutMetricData").contains(action)));
        // The compute environments wait for it like for the managed policies.
        for (var ce : ofType(r, CE)) {
            assertThat(ce.dependsOn()).contains("genomics-batch-instance-role-storage-growth");
        }
    }

    static List<String> resources(JsonObject statement) {
        return statement.getAsJsonArray("Resource").asList().stream().map(e -> e.getAsString()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void computeEnvironmentsAreBuiltForInPlaceUpdates(String stack) {
        var r = stack(stack);
        for (var ce : ofType(r, CE)) {
            // Field notes 1: no fixed name, so a replacement can be created before the old one goes.
            assertThat(ce.inputs()).doesNotContainKey("computeEnvironmentName");
            assertThat((String) input(ce, "computeEnvironmentNamePrefix")).startsWith("genomics-batch-" + stack + "-");
            // Field notes 2: the service-linked role, no custom service role.
            assertThat(ce.inputs()).doesNotContainKey("serviceRole");
            assertThat(input(ce, "type")).isEqualTo("MANAGED");
            // Field notes 7: the instance profile ARN, not the role ARN.
            assertThat(input(ce, "computeResources", "instanceRole"))
                    .isEqualTo(arn(PROFILE, "genomics-batch-instance-profile"))
                    .isNotEqualTo(arn(ROLE, "genomics-batch-instance-role"));
            // Field notes 3: the template by id, pinned to its latest version (not $Latest).
            assertThat(input(ce, "computeResources", "launchTemplate", "launchTemplateId"))
                    .isEqualTo(id("genomics-batch-host-launch-template"));
            assertThat(input(ce, "computeResources", "launchTemplate", "version"))
                    .isEqualTo(String.valueOf(AwsAnswers.LAUNCH_TEMPLATE_VERSION));
            assertThat(input(ce, "computeResources", "securityGroupIds"))
                    .isEqualTo(List.of(id("genomics-batch-host-security-group")));
            // Field notes 11: Amazon Linux 2023.
            assertThat(input(ce, "computeResources", "ec2Configurations"))
                    .isEqualTo(List.of(Map.of("imageType", "ECS_AL2023")));
            // Field notes 4: an update policy that never kills running jobs.
            assertThat(input(ce, "updatePolicy", "terminateJobsOnUpdate")).isEqualTo(false);
            var drainMinutes = number(input(ce, "updatePolicy", "jobExecutionTimeoutMinutes"));
            assertThat(drainMinutes).isBetween(60, 360);
            // The provider's compute environment declares no timeouts, so a customTimeouts option
            // would be ignored (with a warning in every preview): none is set. `pulumi up` waits
            // the SDK's 20 minutes, less than a drain may take; the README says what then happens.
            assertThat(ce.customTimeouts()).isEmpty();
            assertThat(java.time.Duration.ofMinutes(drainMinutes))
                    .isGreaterThan(io.genomicsbatch.compute.ComputeEnvironments.PROVIDER_UPDATE_WAIT);
            // Field notes 5: desiredVcpus neither set nor diffed.
            assertThat((Map<String, Object>) input(ce, "computeResources")).doesNotContainKey("desiredVcpus");
            assertThat(ce.ignoreChanges()).containsExactly("computeResources.desiredVcpus");
            // Field notes 6: deleted before the policies its instances need.
            assertThat(ce.dependsOn()).contains("genomics-batch-instance-role-AmazonEC2ContainerServiceforEC2Role",
                    "genomics-batch-instance-role-AmazonSSMManagedInstanceCore");
            assertThat(ce.protect()).isEqualTo(stack.equals("prod"));
            assertThat((Map<String, Object>) input(ce, "tags")).containsEntry("Environment", stack);
            assertThat((Map<String, Object>) input(ce, "computeResources", "tags")).containsEntry("Environment", stack);
        }
    }

    @Test
    void spotAndOnDemandEnvironmentsFollowTheConfig() {
        var r = prod();
        var spot = resource(r, "genomics-batch-spot");
        assertThat(input(spot, "computeResources", "type")).isEqualTo("SPOT");
        assertThat(input(spot, "computeResources", "allocationStrategy")).isEqualTo("SPOT_CAPACITY_OPTIMIZED");
        assertThat(number(input(spot, "computeResources", "maxVcpus"))).isEqualTo(1024);
        assertThat(number(input(spot, "computeResources", "minVcpus"))).isZero();
        assertThat(number(input(spot, "computeResources", "bidPercentage"))).isEqualTo(100);
        assertThat((Map<String, Object>) input(spot, "computeResources")).doesNotContainKey("spotIamFleetRole");
        assertThat(input(spot, "computeResources", "instanceTypes"))
                .isEqualTo(List.of("c7i", "m7i", "r7i"));
        var onDemand = resource(r, "genomics-batch-on-demand");
        assertThat(input(onDemand, "computeResources", "type")).isEqualTo("EC2");
        assertThat(input(onDemand, "computeResources", "allocationStrategy")).isEqualTo("BEST_FIT_PROGRESSIVE");
        assertThat(number(input(onDemand, "computeResources", "maxVcpus"))).isEqualTo(256);
        assertThat((Map<String, Object>) input(onDemand, "computeResources")).doesNotContainKey("bidPercentage");
    }

    @Test
    void spotFleetRoleOnlyWhereAwsNeedsOne() {
        assertThat(ofType(dev(), ROLE)).extracting(PlannedResource::name)
                .containsExactlyInAnyOrder("genomics-batch-instance-role", "genomics-batch-job-role",
                        "genomics-batch-head-job-role");

        var r = succeeded(run("dev", Map.of("spotAllocationStrategy", "BEST_FIT")));
        var fleetRole = resource(r, "genomics-batch-spot-fleet-role");
        assertThat(trustPrincipal(fleetRole)).isEqualTo("spotfleet.amazonaws.com");
        var spot = resource(r, "genomics-batch-spot");
        assertThat(input(spot, "computeResources", "spotIamFleetRole")).isEqualTo(arn(ROLE, "genomics-batch-spot-fleet-role"));
        assertThat(spot.dependsOn()).contains("genomics-batch-spot-fleet-role-AmazonEC2SpotFleetTaggingRole");
        assertThat((Map<String, Object>) input(resource(r, "genomics-batch-on-demand"), "computeResources"))
                .doesNotContainKey("spotIamFleetRole");
    }

    @Test
    void queuesWithSpilloverUseBothEnvironmentsInOppositeOrder() {
        var r = dev();
        var spot = arn(CE, "genomics-batch-spot");
        var onDemand = arn(CE, "genomics-batch-on-demand");
        var defaultQueue = resource(r, "genomics-batch-default");
        assertThat(orders(defaultQueue)).containsExactly(Map.entry(1, spot), Map.entry(2, onDemand));
        assertThat(number(input(defaultQueue, "priority"))).isEqualTo(1);
        var high = resource(r, "genomics-batch-high-priority");
        assertThat(orders(high)).containsExactly(Map.entry(1, onDemand), Map.entry(2, spot));
        assertThat(number(input(high, "priority"))).isEqualTo(1000);
        for (var q : List.of(defaultQueue, high)) {
            assertThat(q.inputs()).doesNotContainKey("computeEnvironments"); // deprecated field
            assertThat(input(q, "state")).isEqualTo("ENABLED");
        }
    }

    @Test
    void queuesWithoutSpilloverUseOnlyTheirOwnEnvironment() {
        var r = succeeded(run("dev", Map.of("queueSpillover", "false", "defaultQueuePriority", "10",
                "highPriorityQueuePriority", "20")));
        var defaultQueue = resource(r, "genomics-batch-default");
        assertThat(orders(defaultQueue)).containsExactly(Map.entry(1, arn(CE, "genomics-batch-spot")));
        assertThat(number(input(defaultQueue, "priority"))).isEqualTo(10);
        var high = resource(r, "genomics-batch-high-priority");
        assertThat(orders(high)).containsExactly(Map.entry(1, arn(CE, "genomics-batch-on-demand")));
        assertThat(number(input(high, "priority"))).isEqualTo(20);
    }

    static int rootGiB(PlannedResource template) {
        return ((List<Object>) input(template, "blockDeviceMappings")).stream().map(m -> (Map<String, Object>) m)
                .filter(m -> m.get("deviceName").equals(HostLaunchTemplate.ROOT_DEVICE))
                .map(m -> number(((Map<String, Object>) m.get("ebs")).get("volumeSize"))).findFirst().orElseThrow();
    }

    static List<Map.Entry<Integer, Object>> orders(PlannedResource queue) {
        return ((List<Object>) input(queue, "computeEnvironmentOrders")).stream()
                .map(o -> (Map<String, Object>) o)
                .map(o -> Map.<Integer, Object>entry(number(o.get("order")), o.get("computeEnvironment")))
                .sorted(Map.Entry.comparingByKey())
                .toList();
    }

    @Test
    void noGpuEnvironmentUnlessGpuMaxVcpusIsSet() {
        var r = dev();
        assertThat(ofType(r, CE)).extracting(PlannedResource::name)
                .containsExactlyInAnyOrder("genomics-batch-spot", "genomics-batch-on-demand");
        assertThat(ofType(r, QUEUE)).extracting(PlannedResource::name)
                .containsExactlyInAnyOrder("genomics-batch-default", "genomics-batch-high-priority",
                        "genomics-batch-head-job");
        assertThat(ofType(r, LT)).extracting(PlannedResource::name)
                .containsExactly("genomics-batch-host-launch-template");
    }

    @Test
    void gpuEnvironmentIsOnDemandOnTheNvidiaAmiWithItsOwnTemplateAndQueue() {
        var r = succeeded(run("dev", Map.of("gpuMaxVcpus", "96", "gpuInstanceTypes", "[\"g6\",\"g6e.12xlarge\"]",
                "gpuQueuePriority", "700")));
        var gpu = resource(r, "genomics-batch-gpu");
        assertThat(input(gpu, "computeResources", "type")).isEqualTo("EC2");
        assertThat(input(gpu, "computeResources", "allocationStrategy")).isEqualTo("BEST_FIT_PROGRESSIVE");
        assertThat(input(gpu, "computeResources", "instanceTypes")).isEqualTo(List.of("g6", "g6e.12xlarge"));
        assertThat(number(input(gpu, "computeResources", "maxVcpus"))).isEqualTo(96);
        assertThat(number(input(gpu, "computeResources", "minVcpus"))).isZero();
        assertThat(input(gpu, "computeResources", "ec2Configurations"))
                .isEqualTo(List.of(Map.of("imageType", "ECS_AL2023_NVIDIA")));
        assertThat((String) input(gpu, "computeEnvironmentNamePrefix")).isEqualTo("genomics-batch-dev-gpu-");
        // Its own template: CUDA images need a larger root volume than the CPU hosts'.
        assertThat(input(gpu, "computeResources", "launchTemplate", "launchTemplateId"))
                .isEqualTo(id("genomics-batch-gpu-host-launch-template"));
        var gpuTemplate = resource(r, "genomics-batch-gpu-host-launch-template");
        var cpuTemplate = resource(r, "genomics-batch-host-launch-template");
        assertThat(rootGiB(gpuTemplate)).isEqualTo(100).isGreaterThan(rootGiB(cpuTemplate));
        // Its own queue, and CPU queues never reach it, so CPU jobs never start GPU hosts.
        assertThat(ofType(r, QUEUE)).filteredOn(q -> q.name().equals("genomics-batch-gpu-queue")).singleElement()
                .satisfies(q -> {
                    assertThat(input(q, "name")).isEqualTo("genomics-batch-dev-gpu");
                    assertThat(number(input(q, "priority"))).isEqualTo(700);
                    assertThat(orders(q)).extracting(Map.Entry::getValue).containsExactly(arn(CE, "genomics-batch-gpu"));
                });
        assertThat(ofType(r, QUEUE)).filteredOn(q -> !q.name().equals("genomics-batch-gpu-queue"))
                .allSatisfy(q -> assertThat(orders(q)).extracting(Map.Entry::getValue)
                        .doesNotContain(arn(CE, "genomics-batch-gpu")));
        assertThat(r.outputs()).containsEntry("gpuJobQueueName", "genomics-batch-dev-gpu")
                .containsEntry("gpuJobQueueArn", arn(QUEUE, "genomics-batch-gpu-queue"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void queuesCancelJobsStuckInRunnable(String stack) {
        var minutes = stack.equals("dev") ? 60 : 480;
        for (var q : ofType(stack(stack), QUEUE)) {
            var actions = (List<Object>) input(q, "jobStateTimeLimitActions");
            // AWS Batch acts only on these three RUNNABLE reasons; one CANCEL action for each.
            assertThat(actions).extracting(a -> ((Map<String, Object>) a).get("reason")).containsExactlyInAnyOrder(
                    "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
                    "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT");
            // A capacity shortage may pass, so it waits runnableTimeoutMinutes; the MISCONFIGURATION
            // reasons never pass, so those jobs are cancelled after the least time Batch allows.
            var seconds = actions.stream().map(a -> (Map<String, Object>) a).peek(m -> {
                assertThat(m.get("action")).isEqualTo("CANCEL");
                assertThat(m.get("state")).isEqualTo("RUNNABLE");
            }).collect(java.util.stream.Collectors.toMap(m -> (String) m.get("reason"),
                    m -> number(m.get("maxTimeSeconds"))));
            assertThat(seconds).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", minutes * 60,
                    "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE", 600,
                    "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", 600));
            assertThat(q.protect()).isEqualTo(stack.equals("prod"));
            assertThat((Map<String, Object>) input(q, "tags")).containsEntry("Environment", stack);
        }
    }

    static String trustPrincipal(PlannedResource role) {
        var statement = JsonParser.parseString((String) input(role, "assumeRolePolicy")).getAsJsonObject()
                .getAsJsonArray("Statement").get(0).getAsJsonObject();
        return statement.getAsJsonObject("Principal").get("Service").getAsString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void iamTrustsServicePrincipalsOnly(String stack) {
        var r = stack(stack);
        assertThat(trustPrincipal(resource(r, "genomics-batch-instance-role"))).isEqualTo("ec2.amazonaws.com");
        var jobRole = resource(r, "genomics-batch-job-role");
        assertThat(trustPrincipal(jobRole)).isEqualTo("ecs-tasks.amazonaws.com");
        var condition = JsonParser.parseString((String) input(jobRole, "assumeRolePolicy")).getAsJsonObject()
                .getAsJsonArray("Statement").get(0).getAsJsonObject().getAsJsonObject("Condition");
        assertThat(condition.getAsJsonObject("StringEquals").get("aws:SourceAccount").getAsString())
                .isEqualTo(AwsAnswers.ACCOUNT);
        assertThat(input(resource(r, "genomics-batch-instance-profile"), "role"))
                .isEqualTo("genomics-batch-instance-role-generated");
        assertThat(resource(r, "genomics-batch-instance-profile").protect()).isEqualTo(stack.equals("prod"));
        for (var role : ofType(r, ROLE)) {
            assertThat(role.protect()).isEqualTo(stack.equals("prod"));
            assertThat((Map<String, Object>) input(role, "tags")).containsEntry("ManagedBy", "pulumi");
        }
        assertThat(r.outputs()).containsEntry("jobRoleArn", arn(ROLE, "genomics-batch-job-role"))
                .containsEntry("instanceRoleArn", arn(ROLE, "genomics-batch-instance-role"))
                .containsEntry("instanceProfileArn", arn(PROFILE, "genomics-batch-instance-profile"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noWildcardActionsAndNoAdminPolicies(String stack) {
        var r = stack(stack);
        var documents = new ArrayList<JsonObject>();
        for (var res : r.resources()) {
            for (var key : List.of("assumeRolePolicy", "policy")) {
                if (res.inputs().get(key) instanceof String json) {
                    documents.add(JsonParser.parseString(json).getAsJsonObject());
                }
            }
        }
        assertThat(documents).isNotEmpty();
        for (var doc : documents) {
            for (var s : doc.getAsJsonArray("Statement")) {
                var action = s.getAsJsonObject().get("Action");
                var actions = action.isJsonArray()
                        ? action.getAsJsonArray().asList().stream().map(a -> a.getAsString()).toList()
                        : List.of(action.getAsString());
                // Checkov CKV_AWS_290/CKV_AWS_355, Security Hub IAM.21: no "*" or "service:*" actions.
                assertThat(actions).noneMatch(a -> a.equals("*") || a.endsWith(":*"));
            }
        }
        var attached = ofType(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").stream()
                .map(a -> (String) input(a, "policyArn")).toList();
        assertThat(attached).containsExactlyInAnyOrder(
                "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
                "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        // Security Hub IAM.1: no admin managed policies.
        assertThat(attached).noneMatch(a -> a.contains("AdministratorAccess") || a.contains("PowerUserAccess")
                || a.contains("FullAccess"));
    }

    @Test
    void jobRoleS3AccessIsScopedToTheDataBuckets() {
        var policy = JsonParser.parseString((String) input(resource(prod(), "genomics-batch-job-role-data-buckets"),
                "policy")).getAsJsonObject();
        var resources = new ArrayList<String>();
        policy.getAsJsonArray("Statement").forEach(s -> s.getAsJsonObject().getAsJsonArray("Resource")
                .forEach(x -> resources.add(x.getAsString())));
        assertThat(resources).containsExactlyInAnyOrder(
                "arn:aws:s3:::acme-genomics-raw-reads", "arn:aws:s3:::acme-genomics-results",
                "arn:aws:s3:::acme-genomics-raw-reads/*", "arn:aws:s3:::acme-genomics-results/*");
        // dev names no buckets: the job role gets no S3 policy at all.
        assertThat(dev().resources()).extracting(PlannedResource::name)
                .doesNotContain("genomics-batch-job-role-data-buckets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void exportsTheOutputContract(String stack) {
        var r = stack(stack);
        var engineConfigs = List.of("nextflowConfig", "cromwellBackendConfig", "snakemakeArgs");
        assertThat(r.outputs()).containsKeys(engineConfigs.toArray(String[]::new));
        var outputs = new java.util.LinkedHashMap<>(r.outputs());
        engineConfigs.forEach(outputs::remove);
        outputs.remove("alertTopicArn"); // below // their contents: EngineConfigsTest and the engines' parsers
        assertThat(outputs).containsExactly(
                Map.entry("defaultJobQueueArn", arn(QUEUE, "genomics-batch-default")),
                Map.entry("highPriorityJobQueueArn", arn(QUEUE, "genomics-batch-high-priority")),
                Map.entry("headJobQueueArn", arn(QUEUE, "genomics-batch-head-job")),
                Map.entry("defaultJobQueueName", "genomics-batch-" + stack + "-default"),
                Map.entry("highPriorityJobQueueName", "genomics-batch-" + stack + "-high-priority"),
                Map.entry("headJobQueueName", "genomics-batch-" + stack + "-head-job"),
                Map.entry("spotComputeEnvironmentArn", arn(CE, "genomics-batch-spot")),
                Map.entry("onDemandComputeEnvironmentArn", arn(CE, "genomics-batch-on-demand")),
                Map.entry("jobRoleArn", arn(ROLE, "genomics-batch-job-role")),
                Map.entry("headJobRoleArn", arn(ROLE, "genomics-batch-head-job-role")),
                Map.entry("submitterPolicyArn", arn("aws:iam/policy:Policy", "genomics-batch-submitter-policy")),
                Map.entry("instanceRoleArn", arn(ROLE, "genomics-batch-instance-role")),
                Map.entry("instanceProfileArn", arn(PROFILE, "genomics-batch-instance-profile")),
                Map.entry("launchTemplateId", id("genomics-batch-host-launch-template")),
                Map.entry("securityGroupId", id("genomics-batch-host-security-group")),
                Map.entry("vpcId", stack.equals("dev") ? AwsAnswers.DEFAULT_VPC : PROD_VPC),
                Map.entry("subnetIds", stack.equals("dev") ? AwsAnswers.DEFAULT_VPC_SUBNETS : PROD_SUBNETS),
                Map.entry("jobLogGroupName", "/aws/batch/genomics-batch-" + stack));
        // prod's alerts: the topic it creates
        assertThat(r.outputs().get("alertTopicArn"))
                .isEqualTo(stack.equals("prod") ? arn("aws:sns/topic:Topic", "genomics-batch-alerts") : null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void sameSettingsGiveTheSameGraph(String stack) {
        var first = stack(stack);
        var second = stack(stack);
        assertThat(second.resources()).isEqualTo(first.resources());
        assertThat(second.outputs()).isEqualTo(first.outputs());
    }
}
