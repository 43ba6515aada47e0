package io.genomicsbatch;

import com.pulumi.Log;
import com.pulumi.resources.Resource;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.iam.ShareSubmitterPolicies;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.genomicsbatch.support.TestStacks.PROD_SUBNETS;
import static io.genomicsbatch.support.TestStacks.PROD_VPC;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.run;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logical names: one resource per name across all types (the plan's references and graph name
 * each resource once), and the names existing stacks have in their state kept, or kept as aliases.
 */
class LogicalNamesTest {

    static final String CE = "aws:batch/computeEnvironment:ComputeEnvironment";
    static final String QUEUE = "aws:batch/jobQueue:JobQueue";
    static final String RULE = "aws:cloudwatch/eventRule:EventRule";
    static final String TARGET = "aws:cloudwatch/eventTarget:EventTarget";
    static final String ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
    static final String ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
    static final String PTC_RULE = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule";
    static final String PTC_TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
    static final String INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    static final String EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

    /** Every optional feature on: the GPU environment and queue, the Spot fleet role, the S3 endpoint, every policy. */
    static final Map<String, String> EVERYTHING = Map.ofEntries(
            Map.entry("vpcId", PROD_VPC),
            Map.entry("subnetIds", "[\"" + String.join("\",\"", PROD_SUBNETS) + "\"]"),
            Map.entry("sharedFileSystemSecurityGroupIds", "[\"sg-0123456789abcdef0\"]"),
            Map.entry("allowAllEgress", "true"),
            Map.entry("s3GatewayEndpoint", "true"),
            Map.entry("spotAllocationStrategy", "BEST_FIT"),
            Map.entry("gpuMaxVcpus", "64"),
            Map.entry("dataBucketNames", "[\"acme-genomics-raw-reads\"]"),
            Map.entry("dataKmsKeyArns",
                    "[\"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]"),
            Map.entry("alertEmails", "[\"genomics-alerts@example.org\"]"),
            Map.entry("bootLoopStop", "true"),
            Map.entry("monthlyBudgetUsd", "5000"),
            Map.entry("budgetStopPercent", "120"),
            Map.entry("budgetStopRoleNames", "[\"ci-submitter\"]"),
            Map.entry("protect", "true"),
            Map.entry("privateNetworking", "true"),
            Map.entry("awsCliUrl", "https://acme-genomics-mirror.s3.us-east-1.amazonaws.com/awscli"),
            Map.entry("ecrPullThroughCache", "[{\"upstream\":\"quay\"},{\"upstream\":\"ecr-public\",\"prefix\":"
                    + "\"gb-everything/ecr-public\"},{\"upstream\":\"docker-hub\",\"prefix\":\"gb-everything/docker-hub\","
                    + "\"credentialArn\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub\"}]"),
            Map.entry("groups", "[{\"name\":\"lab1\",\"maxVcpus\":32},{\"name\":\"queue-lab1\",\"maxVcpus\":8,"
                    + "\"spot\":false}]"),
            Map.entry("fairShare", "{\"shares\":[{\"id\":\"labA\",\"weight\":1},{\"id\":\"core*\"}]}"),
            Map.entry("sharedFileSystem", "{\"type\":\"fsx-lustre\",\"deploymentType\":\"PERSISTENT_2\","
                    + "\"perUnitStorageThroughput\":125,\"dataRepositoryPath\":\"s3://acme-genomics-raw-reads/ref\"}"));


    static Recorder.Recording everything() {
        return succeeded(run("everything", ConfigSource.of(EVERYTHING), new AwsAnswers(Map.of(PROD_VPC, PROD_SUBNETS))));
    }

    static Stream<Arguments> stacks() {
        return Stream.of(
                Arguments.of("dev", succeeded(run("dev", Map.of("spotMaxVcpus", "64", "onDemandMaxVcpus", "16")))),
                Arguments.of("prod", succeeded(run("prod", ConfigSource.of(Map.of(
                        "vpcId", PROD_VPC,
                        "subnetIds", "[\"" + String.join("\",\"", PROD_SUBNETS) + "\"]",
                        "dataBucketNames", "[\"acme-genomics-raw-reads\",\"acme-genomics-results\"]",
                        "s3GatewayEndpoint", "true",
                        "protect", "true")), new AwsAnswers(Map.of(PROD_VPC, PROD_SUBNETS))))),
                Arguments.of("everything", everything()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void noTwoResourcesShareALogicalNameWhateverTheirTypes(String stack, Recorder.Recording recording) {
        var typesByName = recording.resources().stream().collect(Collectors.groupingBy(PlannedResource::name,
                TreeMap::new, Collectors.mapping(PlannedResource::type, Collectors.toList())));
        assertThat(typesByName).as(stack + ": logical names used more than once")
                .allSatisfy((name, types) -> assertThat(types).as(name).hasSize(1));
    }

    @Test
    void theEverythingStackHasEveryOptionalResource() {
        // Otherwise the uniqueness check above would not cover them.
        assertThat(everything().resources()).extracting(PlannedResource::name)
                .contains("genomics-batch-gpu", "genomics-batch-gpu-queue", "genomics-batch-gpu-host-launch-template",
                        "genomics-batch-spot-fleet-role", "genomics-batch-s3-gateway-endpoint",
                        "genomics-batch-job-role-data-kms-keys", "genomics-batch-head-job-role-data-kms-keys",
                        "genomics-batch-alerts", "genomics-batch-dashboard", "genomics-batch-boot-loop-stop",
                        "genomics-batch-endpoint-security-group", "genomics-batch-ecr-dkr-endpoint",
                        "genomics-batch-registry-cache-docker-hub-template", "genomics-batch-registry-cache-template-role",
                        "genomics-batch-group-environment-lab1", "genomics-batch-group-queue-lab1",
                        "genomics-batch-group-launch-template-lab1",
                        "genomics-batch-fair-share", "genomics-batch-shared");
    }

    /**
     * The (type, logical name) pairs a stack with every feature on has in its state from before the
     * GPU queue's rename: what `pulumi up` must find again, by name or by alias, so that it replaces
     * nothing. A fixed list on purpose: it is the compatibility contract with existing stacks.
     */
    static final List<List<String>> EARLIER_NAMES = List.of(
            List.of("genomics-batch:index:BatchEnvironment", "genomics-batch"),
            List.of("aws:ec2/securityGroup:SecurityGroup", "genomics-batch-host-security-group"),
            List.of("aws:ec2/vpcEndpoint:VpcEndpoint", "genomics-batch-s3-gateway-endpoint"),
            List.of("aws:ec2/launchTemplate:LaunchTemplate", "genomics-batch-host-launch-template"),
            List.of("aws:ec2/launchTemplate:LaunchTemplate", "genomics-batch-gpu-host-launch-template"),
            List.of("aws:iam/role:Role", "genomics-batch-instance-role"),
            List.of("aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    "genomics-batch-instance-role-AmazonEC2ContainerServiceforEC2Role"),
            List.of("aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    "genomics-batch-instance-role-AmazonSSMManagedInstanceCore"),
            List.of("aws:iam/instanceProfile:InstanceProfile", "genomics-batch-instance-profile"),
            List.of("aws:iam/role:Role", "genomics-batch-job-role"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-job-role-data-buckets"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-job-role-reference-buckets"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-job-role-data-kms-keys"),
            List.of("aws:iam/role:Role", "genomics-batch-spot-fleet-role"),
            List.of("aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    "genomics-batch-spot-fleet-role-AmazonEC2SpotFleetTaggingRole"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-instance-role-storage-growth"),
            List.of(CE, "genomics-batch-spot"),
            List.of(CE, "genomics-batch-on-demand"),
            List.of(CE, "genomics-batch-gpu"),
            List.of(QUEUE, "genomics-batch-default"),
            List.of(QUEUE, "genomics-batch-high-priority"),
            List.of(QUEUE, "genomics-batch-head-job"),
            List.of(QUEUE, "genomics-batch-gpu"),
            List.of("aws:cloudwatch/logGroup:LogGroup", "genomics-batch-job-logs"),
            List.of("aws:iam/role:Role", "genomics-batch-head-job-role"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-head-job-role-batch"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-head-job-role-data-buckets"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-head-job-role-reference-buckets"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-head-job-role-data-kms-keys"));

    /** Resources this version adds (CHANGELOG.md, Unreleased): created by `pulumi up`, nothing replaced. */
    static final List<List<String>> NEW_NAMES = List.of(
            List.of("aws:iam/policy:Policy", "genomics-batch-submitter-policy"),
            // alerts (alertEmails) and the boot-loop stop (bootLoopStop)
            List.of("aws:kms/key:Key", "genomics-batch-alerts-key"),
            List.of("aws:kms/alias:Alias", "genomics-batch-alerts-key-alias"),
            List.of("aws:sns/topic:Topic", "genomics-batch-alerts"),
            List.of("aws:sns/topicPolicy:TopicPolicy", "genomics-batch-alerts-policy"),
            List.of("aws:sns/topicSubscription:TopicSubscription",
                    io.genomicsbatch.alerts.AlertsTest.subscriptionName("genomics-alerts@example.org")),
            List.of(RULE, "genomics-batch-run-succeeded"),
            List.of(TARGET, "genomics-batch-run-succeeded-to-alerts"),
            List.of(RULE, "genomics-batch-run-failed"),
            List.of(TARGET, "genomics-batch-run-failed-to-alerts"),
            List.of(RULE, "genomics-batch-task-failed"),
            List.of(TARGET, "genomics-batch-task-failed-to-alerts"),
            List.of(RULE, "genomics-batch-queue-blocked"),
            List.of(TARGET, "genomics-batch-queue-blocked-to-alerts"),
            List.of(RULE, "genomics-batch-spot-interruption"),
            List.of(TARGET, "genomics-batch-spot-interruption-to-alerts"),
            List.of(ALARM, "genomics-batch-provisioning-failures-alarm"),
            List.of(ALARM, "genomics-batch-failed-tasks-alarm"),
            List.of(ALARM, "genomics-batch-failed-runs-alarm"),
            List.of(ALARM, "genomics-batch-blocked-queues-alarm"),
            List.of(ALARM, "genomics-batch-spot-interruptions-alarm"),
            List.of("aws:cloudwatch/dashboard:Dashboard", "genomics-batch-dashboard"),
            List.of("aws:ssm/document:Document", "genomics-batch-boot-loop-stop"),
            List.of("aws:iam/role:Role", "genomics-batch-boot-loop-stop-role"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-boot-loop-stop-role-batch"),
            List.of(RULE, "genomics-batch-boot-loop-stop-rule"),
            List.of("aws:iam/role:Role", "genomics-batch-boot-loop-stop-events-role"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-boot-loop-stop-events-role-automation"),
            List.of(TARGET, "genomics-batch-boot-loop-stop-target"),
            // the budget (monthlyBudgetUsd) and its stop (budgetStopPercent)
            List.of("aws:budgets/budget:Budget", "genomics-batch-budget"),
            List.of("aws:iam/policy:Policy", "genomics-batch-budget-stop-policy"),
            List.of("aws:iam/role:Role", "genomics-batch-budget-stop-role"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-budget-stop-role-attach"),
            List.of("aws:budgets/budgetAction:BudgetAction", "genomics-batch-budget-stop"),
            // hosts without internet (privateNetworking)
            List.of("aws:ec2/securityGroup:SecurityGroup", "genomics-batch-endpoint-security-group"),
            List.of(ENDPOINT, "genomics-batch-ecs-endpoint"),
            List.of(ENDPOINT, "genomics-batch-ecs-agent-endpoint"),
            List.of(ENDPOINT, "genomics-batch-ecs-telemetry-endpoint"),
            List.of(ENDPOINT, "genomics-batch-ecr-api-endpoint"),
            List.of(ENDPOINT, "genomics-batch-ecr-dkr-endpoint"),
            List.of(ENDPOINT, "genomics-batch-logs-endpoint"),
            List.of(ENDPOINT, "genomics-batch-monitoring-endpoint"),
            List.of(ENDPOINT, "genomics-batch-ec2-endpoint"),
            List.of(ENDPOINT, "genomics-batch-sts-endpoint"),
            List.of(ENDPOINT, "genomics-batch-batch-endpoint"),
            List.of(ENDPOINT, "genomics-batch-ssm-endpoint"),
            List.of(ENDPOINT, "genomics-batch-ssmmessages-endpoint"),
            List.of(ENDPOINT, "genomics-batch-ec2messages-endpoint"),
            // the registry cache (ecrPullThroughCache)
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-instance-role-registry-cache"),
            List.of("aws:iam/role:Role", "genomics-batch-registry-cache-template-role"),
            List.of("aws:iam/rolePolicy:RolePolicy", "genomics-batch-registry-cache-template-role-repositories"),
            List.of(PTC_RULE, "genomics-batch-registry-cache-quay"),
            List.of(PTC_TEMPLATE, "genomics-batch-registry-cache-quay-template"),
            List.of(PTC_RULE, "genomics-batch-registry-cache-ecr-public"),
            List.of(PTC_TEMPLATE, "genomics-batch-registry-cache-ecr-public-template"),
            List.of(PTC_RULE, "genomics-batch-registry-cache-docker-hub"),
            List.of(PTC_TEMPLATE, "genomics-batch-registry-cache-docker-hub-template"),
            // groups: per group, named after it ("queue-lab1" is a group's name: kinds come first, so none meet)
            List.of(CE, "genomics-batch-group-environment-lab1"),
            List.of(QUEUE, "genomics-batch-group-queue-lab1"),
            List.of("aws:ec2/launchTemplate:LaunchTemplate", "genomics-batch-group-launch-template-lab1"),
            List.of(CE, "genomics-batch-group-environment-queue-lab1"),
            List.of(QUEUE, "genomics-batch-group-queue-queue-lab1"),
            List.of("aws:ec2/launchTemplate:LaunchTemplate", "genomics-batch-group-launch-template-queue-lab1"),
            // fair share (fairShare): the policy, its queue, and one submitter policy per share, named by its id
            List.of("aws:batch/schedulingPolicy:SchedulingPolicy", "genomics-batch-fair-share"),
            List.of(QUEUE, "genomics-batch-shared"),
            List.of("aws:iam/policy:Policy", ShareSubmitterPolicies.logicalName("genomics-batch-share-submitter", "labA")),
            List.of("aws:iam/policy:Policy", ShareSubmitterPolicies.logicalName("genomics-batch-share-submitter", "core*")),
            // the shared file system (sharedFileSystem): EFS with a mount target per subnet, or FSx for Lustre
            List.of("aws:ec2/securityGroup:SecurityGroup", "genomics-batch-shared-fs-security-group"),
            List.of("aws:efs/fileSystem:FileSystem", "genomics-batch-shared-fs"),
            List.of("aws:efs/mountTarget:MountTarget", "genomics-batch-shared-fs-mount-target-" + PROD_SUBNETS.get(0)),
            List.of("aws:efs/mountTarget:MountTarget", "genomics-batch-shared-fs-mount-target-" + PROD_SUBNETS.get(1)),
            List.of("aws:efs/mountTarget:MountTarget", "genomics-batch-shared-fs-mount-target-" + PROD_SUBNETS.get(2)),
            List.of(INGRESS, "genomics-batch-shared-fs-ingress-hosts-2049"),
            List.of("aws:fsx/lustreFileSystem:LustreFileSystem", "genomics-batch-shared-fs"),
            List.of("aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation", "genomics-batch-shared-fs-data-repository"),
            List.of(INGRESS, "genomics-batch-shared-fs-ingress-hosts-988"),
            List.of(INGRESS, "genomics-batch-shared-fs-ingress-hosts-1018-1023"),
            List.of(INGRESS, "genomics-batch-shared-fs-ingress-itself-988"),
            List.of(INGRESS, "genomics-batch-shared-fs-ingress-itself-1018-1023"),
            List.of(EGRESS, "genomics-batch-shared-fs-egress-hosts-988"),
            List.of(EGRESS, "genomics-batch-shared-fs-egress-hosts-1018-1023"),
            List.of(EGRESS, "genomics-batch-shared-fs-egress-itself-988"),
            List.of(EGRESS, "genomics-batch-shared-fs-egress-itself-1018-1023"));

    @Test
    void everyEarlierNameIsStillRegisteredOrAnAliasOfTheSameType() {
        var resources = everything().resources();
        // Each resource is known to the state under its name or one of its aliases (same type and parent).
        var identities = resources.stream()
                .flatMap(r -> Stream.concat(Stream.of(r.name()), r.aliases().stream()).map(n -> List.of(r.type(), n)))
                .toList();
        assertThat(identities).containsAll(EARLIER_NAMES);
        // And nothing is new: a resource with a name the state does not know would be created, its
        // earlier self deleted.
        assertThat(resources).allSatisfy(r -> assertThat(
                Stream.concat(Stream.of(r.name()), r.aliases().stream()).map(n -> List.of(r.type(), n)))
                .as(r.name()).anySatisfy(identity -> assertThat(Stream.concat(EARLIER_NAMES.stream(),
                        NEW_NAMES.stream())).contains(identity)));
    }

    @Test
    void theGpuQueueIsRenamedWithItsEarlierNameAsAnAliasAndKeepsItsAwsName() {
        var r = everything();
        var queue = r.resources().stream().filter(q -> q.type().equals(QUEUE) && q.name().equals("genomics-batch-gpu-queue"))
                .findFirst().orElseThrow();
        // The name only: type and parent are the queue's own, as they were, so the alias is the old URN.
        assertThat(queue.aliases()).containsExactly("genomics-batch-gpu");
        assertThat(queue.parent()).contains(App.COMPONENT_NAME);
        // AWS names are unchanged: the queue's, which workflow configs use, and the environment's prefix.
        assertThat(input(queue, "name")).isEqualTo("genomics-batch-everything-gpu");
        assertThat(r.outputs()).containsEntry("gpuJobQueueName", "genomics-batch-everything-gpu");
        var environment = r.resources().stream().filter(ce -> ce.type().equals(CE) && ce.name().equals("genomics-batch-gpu"))
                .findFirst().orElseThrow();
        assertThat(input(environment, "computeEnvironmentNamePrefix")).isEqualTo("genomics-batch-everything-gpu-");
        // Nothing else is renamed.
        assertThat(r.resources()).filteredOn(res -> !res.aliases().isEmpty()).containsExactly(queue);
    }

    /**
     * What the engine gets for the GPU queue: one alias spec with the earlier name and nothing else,
     * so the engine takes the type, parent, stack and project from the queue itself: the URN the
     * queue had. (An alias that said "no parent" would point at a resource that never existed.)
     */
    @Test
    void theEngineGetsTheAliasAsTheEarlierNameUnderTheSameParent() {
        var answers = new AwsAnswers(Map.of(PROD_VPC, PROD_SUBNETS));
        var requests = new ConcurrentHashMap<String, RegisterResourceRequest>();
        var registered = new ConcurrentHashMap<String, Resource>();
        String componentUrn;
        try {
            var result = PulumiTestInternal.builder()
                    .options(TestOptions.builder().projectName("genomics-batch").stackName("everything")
                            .preview(false).build())
                    .mocks(answers)
                    .monitorDecorator(sdk -> new MockMonitor(answers, Log.ignore()) {
                        @Override
                        public CompletableFuture<RegisterResourceResponse>
                        registerResourceAsync(Resource resource,
                                              RegisterResourceRequest request) {
                            requests.put(request.getType() + "::" + request.getName(), request);
                            registered.put(request.getType() + "::" + request.getName(), resource);
                            return super.registerResourceAsync(resource, request);
                        }
                    })
                    .build()
                    .runTest(ctx -> App.deploy(ctx, ConfigSource.of(EVERYTHING)));
            assertThat(result.exceptions()).isEmpty();
            componentUrn = PulumiTest.extractValue(
                    registered.get(GenomicsBatchEnvironment.TYPE + "::" + App.COMPONENT_NAME).urn());
        } finally {
            PulumiTest.cleanup();
        }
        var queue = requests.get(QUEUE + "::genomics-batch-gpu-queue");
        assertThat(queue.getAliasesList()).singleElement().satisfies(alias -> {
            assertThat(alias.hasSpec()).isTrue();
            var spec = alias.getSpec();
            assertThat(spec.getName()).isEqualTo("genomics-batch-gpu");
            assertThat(List.of(spec.getType(), spec.getStack(), spec.getProject(), spec.getParentUrn()))
                    .containsOnly("");
            assertThat(spec.getNoParent()).isFalse();
        });
        // The queue's parent, which the engine puts in the alias's URN, is the component, as before.
        assertThat(queue.getParent()).isEqualTo(componentUrn).endsWith("::" + App.COMPONENT_NAME);
        assertThat(requests).hasSize(everything().resources().size() + 1) // and the stack
                .allSatisfy((key, request) -> assertThat(request.getAliasesCount()).as(key)
                        .isEqualTo(key.equals(QUEUE + "::genomics-batch-gpu-queue") ? 1 : 0));
    }
}
