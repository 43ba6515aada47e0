package io.genomicsbatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM-wide setting the entry point makes before anything runs. */
class MainTest {

    @Test
    void aOneOrTwoCoreMachineGetsACommonPoolOfTwoWorkers() {
        assertThat(Main.commonPoolParallelism(1, null)).contains("2");
        assertThat(Main.commonPoolParallelism(2, null)).contains("2");
    }

    @Test
    void largerMachinesAndTheUsersOwnValueAreLeftAlone() {
        // From 3 cores the JDK's default (cores - 1) is already 2 or more.
        assertThat(Main.commonPoolParallelism(3, null)).isEmpty();
        assertThat(Main.commonPoolParallelism(64, null)).isEmpty();
        assertThat(Main.commonPoolParallelism(2, "1")).isEmpty();
    }
}
