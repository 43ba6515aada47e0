package io.genomicsbatch.queues;

import com.pulumi.aws.batch.SchedulingPolicy;
import com.pulumi.aws.batch.SchedulingPolicyArgs;
import com.pulumi.aws.batch.inputs.SchedulingPolicyFairSharePolicyArgs;
import com.pulumi.aws.batch.inputs.SchedulingPolicyFairSharePolicyShareDistributionArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.Settings;

import java.util.Map;

/**
 * The fair-share scheduling policy of the shared queue. Every field is sent, weights too (AWS's default, 1,
 * where a share gives none): the provider would otherwise send a weight of 0, which AWS refuses. Changes to
 * shares, weights, decay and reservation update it in place; only its name (fixed per stack) replaces it.
 */
public final class FairSharePolicy {
    private FairSharePolicy() {
    }

    /** AWS name: "&lt;namePrefix&gt;-fair-share" (letters, digits, '-' and '_', at most 128: the prefix is 64 at most). */
    public static String policyName(String namePrefix) {
        return namePrefix + "-fair-share";
    }

    public record Props(String logicalName, String namePrefix, Settings.FairShare fairShare, Map<String, String> tags,
                        boolean protect, Resource parent) {
    }

    public static SchedulingPolicy create(Props p) {
        var f = p.fairShare();
        return new SchedulingPolicy(p.logicalName(), SchedulingPolicyArgs.builder()
                .name(policyName(p.namePrefix()))
                .fairSharePolicy(SchedulingPolicyFairSharePolicyArgs.builder()
                        .shareDecaySeconds(f.shareDecaySeconds())
                        .computeReservation(f.computeReservation())
                        .shareDistributions(f.shares().stream().map(share ->
                                SchedulingPolicyFairSharePolicyShareDistributionArgs.builder()
                                        .shareIdentifier(share.id())
                                        .weightFactor(share.weight())
                                        .build()).toList())
                        .build())
                .tags(p.tags())
                .build(), CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build());
    }
}
