package io.genomicsbatch.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One resource the program registered, as the plan reports it.
 *
 * @param parent        the parent's logical name; empty for a resource of the stack itself
 * @param inputs        the inputs the provider would receive (values only known after
 *                      deployment appear as {@link PlanMocks#afterDeploy} placeholders)
 * @param dependsOn     logical names of explicit dependencies
 * @param ignoreChanges  input paths Pulumi does not diff
 * @param customTimeouts operation ("create", "update", "delete") -> how long Pulumi waits, as Pulumi
 *                       writes durations ("7h0m0s"); empty where the provider's defaults apply
 * @param aliases        the resource's earlier identities (Pulumi aliases): a previous logical name,
 *                       with any type, parent, stack or project the alias changes as well
 */
public record PlannedResource(String type, String name, Optional<String> parent, Map<String, Object> inputs,
                              boolean protect, List<String> dependsOn, List<String> ignoreChanges,
                              Map<String, String> customTimeouts, List<String> aliases) {

    public boolean isComponent() {
        return !type.contains("/");
    }
}
