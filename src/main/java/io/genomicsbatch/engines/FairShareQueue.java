package io.genomicsbatch.engines;

import java.util.List;

/**
 * The environment's fair-share queue, for the engine config that submits there: its ARN and the share
 * identifiers of its scheduling policy (a trailing '*' marks a prefix, not an identifier a job can carry).
 *
 * @param queueArn         the shared queue
 * @param shareIdentifiers the policy's shares, in the stack's order
 */
public record FairShareQueue(String queueArn, List<String> shareIdentifiers) {
    public FairShareQueue {
        if (queueArn == null || queueArn.isBlank()) {
            throw new IllegalArgumentException("queueArn: must not be empty");
        }
        shareIdentifiers = List.copyOf(shareIdentifiers);
    }

    /** The identifiers a job can carry as they are: the shares that are not prefixes. */
    public List<String> exactIdentifiers() {
        return shareIdentifiers.stream().filter(id -> !id.endsWith("*")).toList();
    }
}
