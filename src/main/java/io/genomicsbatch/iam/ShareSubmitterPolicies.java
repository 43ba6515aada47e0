package io.genomicsbatch.iam;

import com.pulumi.aws.iam.Policy;
import com.pulumi.aws.iam.PolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.ShortDigest;
import io.genomicsbatch.config.Settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One customer-managed policy per fair share: {@code batch:SubmitJob} on the shared queue, and on jobs only
 * with that share's identifier ({@code batch:ShareIdentifier}; a prefix share {@code lab*}, any identifier
 * starting with {@code lab}). AWS evaluates that key when it authorizes the job resource of SubmitJob (the
 * Service Authorization Reference lists it there, not on the queue), so the job is where the identifier is
 * checked; on the queue it is checked too where AWS provides it ({@code ...IfExists}). Attached with the
 * {@link SubmitterPolicy}, which grants everything else a run needs but not the shared queue, and jobs only
 * without an identifier, it lets a group submit there as itself and as no other group.
 */
public final class ShareSubmitterPolicies {
    private ShareSubmitterPolicies() {
    }

    /**
     * @param name           prefix of the logical names: "&lt;name&gt;-&lt;8 hex of the identifier's SHA-256&gt;",
     *                       so that reordering shares replaces nothing (AWS generates the policies' names)
     * @param sharedQueueArn the fair-share queue
     */
    public record Props(String name, String namePrefix, List<Settings.FairShare.Share> shares,
                        Output<String> sharedQueueArn, boolean protect, Map<String, String> tags, Resource parent) {
    }

    public static String logicalName(String name, String shareIdentifier) {
        return name + "-" + ShortDigest.of(shareIdentifier);
    }

    /** The policies by share identifier, in the order of the shares. */
    public static Map<String, Policy> create(Props p) {
        var policies = new LinkedHashMap<String, Policy>();
        for (var share : p.shares()) {
            policies.put(share.id(), new Policy(logicalName(p.name(), share.id()), PolicyArgs.builder()
                    // Fixed for the policy's life: a new identifier is a new policy, as its logical name is.
                    .description("Submit to the fair-share queue of the genomics-batch environment "
                            + p.namePrefix() + " as share " + share.id() + " only")
                    .policy(p.sharedQueueArn().applyValue(queue -> document(queue, share)))
                    .tags(p.tags())
                    .build(), CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build()));
        }
        return policies;
    }

    /** The request's share identifier, as SubmitJob gives it to IAM. */
    public static final String CONDITION_KEY = "batch:ShareIdentifier";

    static String document(String sharedQueueArn, Settings.FairShare.Share share) {
        var jobs = sharedQueueArn.substring(0, sharedQueueArn.indexOf(":job-queue/")) + ":job/*";
        // Identifiers are letters and digits, so '*' is the only wildcard StringLike sees, and only a prefix's.
        var operator = share.prefix() ? "StringLike" : "StringEquals";
        var queue = PolicyDocuments.allow("SubmitToTheSharedQueue", List.of("batch:SubmitJob"),
                List.of(sharedQueueArn));
        queue.put("Condition", Map.of(operator + "IfExists", Map.of(CONDITION_KEY, share.id())));
        var job = PolicyDocuments.allow("SubmitJobsAsThisShareOnly", List.of("batch:SubmitJob"), List.of(jobs));
        job.put("Condition", Map.of(operator, Map.of(CONDITION_KEY, share.id())));
        return PolicyDocuments.document(List.of(queue, job));
    }

    /**
     * Characters of the longest such policy AWS could hold: the queue's ARN in the longest partition and
     * region, and an identifier of 255 characters.
     */
    static int longestCharacters(String namePrefix, Settings.QueueSpec sharedQueue) {
        return document(InlinePolicyBudget.longestQueueArn(namePrefix, sharedQueue),
                new Settings.FairShare.Share("a".repeat(254) + "*", 1)).length();
    }
}
