package io.genomicsbatch.iam;

import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.Lineup;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.GenomicsBatchEnvironment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The share policies' size, and the size checks of the policies fair share narrows. */
class ShareSubmitterPoliciesTest {

    static final String LONGEST_PREFIX = "g".repeat(GenomicsBatchEnvironment.Args.MAX_NAME_PREFIX);

    static Settings.Environment settings(Map<String, String> config) {
        return ConfigReader.read(ConfigSource.of(config)).orThrow();
    }

    @Test
    void aSharesPolicyFitsInAManagedPolicyWhateverItsIdentifierAndTheAccount() {
        var shared = settings(Map.of("fairShare", "{\"shares\":[{\"id\":\"labA\"}]}")).queue(Lineup.SHARED_QUEUE)
                .orElseThrow();
        var characters = ShareSubmitterPolicies.longestCharacters(LONGEST_PREFIX, shared);
        // The longest identifier (255 characters) twice, the longest queue ARN, and the statements around them.
        assertThat(characters).isGreaterThan(2 * 255 + LONGEST_PREFIX.length())
                .isLessThanOrEqualTo(SubmitterPolicy.MAX_MANAGED_POLICY_CHARACTERS);
    }

    @Test
    void theSizeChecksMeasureThePoliciesAsFairShareNarrowsThem() {
        var without = settings(Map.of());
        var with = settings(Map.of("fairShare", "{\"shares\":[{\"id\":\"labA\"}]}"));
        // The fair-share queue is left out of every submitter's queues; jobs get a statement of their own.
        assertThat(InlinePolicyBudget.longestQueueArns(LONGEST_PREFIX, with))
                .isEqualTo(InlinePolicyBudget.longestQueueArns(LONGEST_PREFIX, without));
        assertThat(SubmitterPolicy.characters(LONGEST_PREFIX, with))
                .isGreaterThan(SubmitterPolicy.characters(LONGEST_PREFIX, without));
        assertThat(InlinePolicyBudget.headJobRoleCharacters(LONGEST_PREFIX, with))
                .isGreaterThan(InlinePolicyBudget.headJobRoleCharacters(LONGEST_PREFIX, without));
        assertThat(List.of(SubmitterPolicy.check(LONGEST_PREFIX, with), InlinePolicyBudget.check(LONGEST_PREFIX, with)))
                .allSatisfy(problem -> assertThat(problem).isEmpty());
    }
}
