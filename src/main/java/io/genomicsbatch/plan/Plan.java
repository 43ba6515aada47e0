package io.genomicsbatch.plan;

import io.genomicsbatch.cost.CostForecast;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stack would build: the resources in registration order, the lookups, warnings and outputs,
 * what it can cost ({@link CostForecast}), and the pinned AMIs (empty when pinning is off).
 */
public record Plan(String project, String stack, Optional<String> region, List<PlannedResource> resources,
                   List<Lookup> lookups, List<String> warnings, Map<String, Object> outputs, CostForecast forecast,
                   List<PinnedAmi> amis) {

    /**
     * A compute environment's pinned AMI and what a new image does to it.
     *
     * @param computeEnvironment the environment's name (spot, on-demand, gpu)
     * @param byId               true: an approved image ({@code source} is its ID); false: an SSM parameter
     * @param source             the AMI ID or the parameter name
     * @param key                the config key that set it (amiPinning for AWS's recommended parameter)
     * @param allocationStrategy the environment's strategy
     * @param replaced           true: a new image replaces the compute environment; false: it updates in place
     */
    public record PinnedAmi(String computeEnvironment, boolean byId, String source, String key,
                            String allocationStrategy, boolean replaced) {
    }

    public Optional<PlannedResource> resource(String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
