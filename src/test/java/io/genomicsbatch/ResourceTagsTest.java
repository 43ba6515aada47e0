package io.genomicsbatch;

import com.google.gson.JsonParser;
import io.genomicsbatch.compute.HostLaunchTemplate;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.run;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** The stack's tags reach every taggable resource and every host's resources, but never computeResources.tags. */
@SuppressWarnings("unchecked")
class ResourceTagsTest {

    static final String TAGS = "{\"CostCenter\":\"4711\",\"Lab\":\"sequencing core\"}";
    static final Map<String, String> STACK_TAGS = Map.of("CostCenter", "4711", "Lab", "sequencing core");
    static final Map<String, String> OWN = Map.of("Project", "genomics-batch", "Environment", "dev",
            "ManagedBy", "pulumi");

    /** Every optional resource built: the S3 endpoint, the GPU environment and its template, the Spot fleet role. */
    static Recorder.Recording everything(String tags) {
        return succeeded(run("dev", Map.of("tags", tags, "s3GatewayEndpoint", "true", "gpuMaxVcpus", "8",
                "spotAllocationStrategy", "BEST_FIT")));
    }

    /** Types whose AWS resources take tags; the rest (policy attachments, inline policies) cannot carry any. */
    static final Set<String> TAGGABLE = Set.of("aws:ec2/securityGroup:SecurityGroup", "aws:ec2/vpcEndpoint:VpcEndpoint",
            "aws:ec2/launchTemplate:LaunchTemplate", "aws:iam/role:Role", "aws:iam/instanceProfile:InstanceProfile",
            "aws:iam/policy:Policy", "aws:batch/computeEnvironment:ComputeEnvironment", "aws:batch/jobQueue:JobQueue",
            "aws:cloudwatch/logGroup:LogGroup");
    static final Set<String> UNTAGGABLE = Set.of("aws:iam/rolePolicy:RolePolicy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment", GenomicsBatchEnvironment.TYPE);

    @Test
    void everyTaggableResourceCarriesTheStackTagsBesidesOurOwn() {
        var r = everything(TAGS);
        var types = r.resources().stream().map(PlannedResource::type).collect(Collectors.toSet());
        // Every type registered is known to take tags or not, so a new resource type cannot slip by untagged.
        assertThat(types).allSatisfy(t -> assertThat(TAGGABLE.contains(t) || UNTAGGABLE.contains(t)).as(t).isTrue());
        assertThat(types).containsAll(TAGGABLE);
        for (var resource : r.resources().stream().filter(x -> TAGGABLE.contains(x.type())).toList()) {
            assertThat((Map<String, Object>) input(resource, "tags")).as(resource.name())
                    .containsAllEntriesOf(STACK_TAGS).containsAllEntriesOf(OWN);
        }
    }

    @Test
    void hostsInstancesVolumesAndNetworkInterfacesCarryThemThroughTheLaunchTemplates() {
        var r = everything(TAGS);
        for (var name : List.of("genomics-batch-host-launch-template", "genomics-batch-gpu-host-launch-template")) {
            var specs = ((List<Object>) input(resource(r, name), "tagSpecifications")).stream()
                    .map(s -> (Map<String, Object>) s).toList();
            // No spot-instances-request: the template launches On-Demand hosts too (see HostLaunchTemplate).
            assertThat(specs).extracting(s -> s.get("resourceType"))
                    .containsExactlyElementsOf(HostLaunchTemplate.TAGGED_AT_LAUNCH)
                    .containsExactly("instance", "volume", "network-interface");
            for (var spec : specs) {
                var tags = (Map<String, Object>) spec.get("tags");
                assertThat(tags).as(name + " " + spec.get("resourceType")).containsAllEntriesOf(STACK_TAGS)
                        .containsAllEntriesOf(OWN);
                if (!spec.get("resourceType").equals("network-interface")) {
                    assertThat(tags).containsEntry(UserData.TAG_KEY, "genomics-batch-dev").hasSize(6);
                }
            }
        }
    }

    @Test
    void computeResourcesAreTheSameWhateverTheTagsButTheLaunchTemplateVersion() {
        var without = everything("{}");
        var with = everything(TAGS);
        for (var name : List.of("genomics-batch-spot", "genomics-batch-on-demand", "genomics-batch-gpu")) {
            var before = (Map<String, Object>) input(resource(without, name), "computeResources");
            var after = (Map<String, Object>) input(resource(with, name), "computeResources");
            // Only the launch template version may move (a new template version is an in-place update);
            // a change of computeResources.tags would replace the compute environment.
            assertThat(withoutVersion(after)).as(name).isEqualTo(withoutVersion(before));
            assertThat((Map<String, Object>) after.get("tags")).as(name).isEqualTo(OWN);
            // The compute environment's own tags change in place (TagResource).
            assertThat((Map<String, Object>) input(resource(with, name), "tags")).containsAllEntriesOf(STACK_TAGS);
            // The rest of the compute environment's inputs are unchanged too.
            var otherBefore = new TreeMap<>(resource(without, name).inputs());
            var otherAfter = new TreeMap<>(resource(with, name).inputs());
            for (var m : List.of(otherBefore, otherAfter)) {
                m.remove("tags");
                m.remove("computeResources");
            }
            assertThat(otherAfter).as(name).isEqualTo(otherBefore);
        }
    }

    private static Map<String, Object> withoutVersion(Map<String, Object> computeResources) {
        var copy = new HashMap<>(computeResources);
        var template = new HashMap<>((Map<String, Object>) copy.get("launchTemplate"));
        template.remove("version");
        copy.put("launchTemplate", template);
        return copy;
    }

    @Test
    void storageGrowthMayCreateVolumesWithTheLaunchTemplatesTagKeysOnly() {
        var r = everything(TAGS);
        var policy = JsonParser.parseString((String) input(resource(r, "genomics-batch-instance-role-storage-growth"),
                "policy")).getAsJsonObject();
        var create = java.util.stream.StreamSupport.stream(policy.getAsJsonArray("Statement").spliterator(), false)
                .map(s -> s.getAsJsonObject())
                .filter(s -> s.get("Action").toString().contains("ec2:CreateVolume")).findFirst().orElseThrow();
        var keys = create.getAsJsonObject("Condition").getAsJsonObject("ForAllValues:StringEquals")
                .getAsJsonArray("aws:TagKeys").asList().stream().map(e -> e.getAsString()).toList();
        var volumeTags = ((List<Object>) input(resource(r, "genomics-batch-host-launch-template"), "tagSpecifications"))
                .stream().map(s -> (Map<String, Object>) s).filter(s -> s.get("resourceType").equals("volume"))
                .map(s -> ((Map<String, Object>) s.get("tags")).keySet()).findFirst().orElseThrow();
        assertThat(keys).first().isEqualTo(UserData.TAG_KEY);
        assertThat(keys).containsExactlyInAnyOrderElementsOf(volumeTags);
        // The environment tag itself stays required, with this environment's value.
        assertThat(create.getAsJsonObject("Condition").getAsJsonObject("StringEquals")
                .get("aws:RequestTag/" + UserData.TAG_KEY).getAsString()).isEqualTo("genomics-batch-dev");
    }

    @Test
    void theEngineConfigsTagEveryJobWithTheStackTags() {
        var r = everything(TAGS);
        assertThat((String) r.outputs().get("nextflowConfig")).contains("resourceLabels = { ['CostCenter': '4711', "
                + "'Lab': 'sequencing core', 'genomics-batch-run': workflow.runName,");
        assertThat((String) r.outputs().get("snakemakeArgs"))
                .endsWith(" --aws-batch-tags CostCenter=4711 'Lab=sequencing core'");
    }
}
