package io.genomicsbatch;

import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack outputs other projects read through StackReference. Renaming or retyping one breaks
 * consumers, so the set is pinned here: a change must edit this list (and the README) in review.
 */
public class OutputContractTest {

    /** Output name -> the Java type a consumer receives. */
    public static final Map<String, Class<?>> CONTRACT = contract();

    private static Map<String, Class<?>> contract() {
        var c = new LinkedHashMap<String, Class<?>>();
        for (var name : List.of("defaultJobQueueArn", "highPriorityJobQueueArn", "defaultJobQueueName",
                "highPriorityJobQueueName", "spotComputeEnvironmentArn", "onDemandComputeEnvironmentArn",
                "jobRoleArn", "instanceRoleArn", "instanceProfileArn", "launchTemplateId", "securityGroupId",
                "vpcId")) {
            c.put(name, String.class);
        }
        c.put("subnetIds", List.class);
        return c;
    }

    @Test
    void outputNamesAndTypesArePinned() {
        var outputs = TestStacks.succeeded(TestStacks.runStackFile("dev", new AwsAnswers())).outputs();
        assertThat(outputs.keySet()).containsExactlyElementsOf(CONTRACT.keySet());
        CONTRACT.forEach((name, type) -> assertThat(outputs.get(name)).as(name).isInstanceOf(type));
        assertThat((List<?>) outputs.get("subnetIds")).isNotEmpty().allSatisfy(s -> assertThat(s).isInstanceOf(String.class));
    }
}
