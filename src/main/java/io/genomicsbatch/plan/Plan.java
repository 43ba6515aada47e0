package io.genomicsbatch.plan;

import io.genomicsbatch.cost.CostForecast;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stack would build: the resources in registration order, the lookups, warnings and outputs,
 * and what it can cost ({@link CostForecast}).
 */
public record Plan(String project, String stack, Optional<String> region, List<PlannedResource> resources,
                   List<Lookup> lookups, List<String> warnings, Map<String, Object> outputs, CostForecast forecast) {

    public Optional<PlannedResource> resource(String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
