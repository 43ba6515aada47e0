package io.genomicsbatch;

import com.pulumi.Pulumi;
import io.genomicsbatch.plan.PlanCommand;
import io.genomicsbatch.plan.PlanEngine;

import java.util.Optional;

/**
 * The jar's entry point. With arguments it runs a command ({@code plan}, {@code --help}, {@code --version}); without,
 * it is the Pulumi program the engine starts ({@code runtime.options.binary} in Pulumi.yaml).
 * {@link App} stays the Pulumi program alone, so the plan depends on it and not the reverse.
 */
public final class Main {
    private Main() {
    }

    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        if (args.length > 0) {
            if (PlanEngine.settles()) {
                commonPoolParallelism(Runtime.getRuntime().availableProcessors(),
                        System.getProperty(COMMON_POOL_PARALLELISM))
                        .ifPresent(workers -> System.setProperty(COMMON_POOL_PARALLELISM, workers));
            }
            System.exit(PlanCommand.run(args, System.out, System.err));
        }
        // The Pulumi engine always tells the program where its resource monitor is.
        if (System.getenv("PULUMI_MONITOR") == null) {
            System.err.println("genomics-batch is a Pulumi program: deploy it with `pulumi up`, or see what it would"
                    + " build offline with `target/genomics-batch plan --stack dev` (`--help` for more).");
            System.exit(2);
        }
        Pulumi.run(App::stack);
    }

    /**
     * For the plan: the SDK runs its asynchronous steps on CompletableFuture's default executor,
     * which is the common fork-join pool only when that pool has two workers or more. With its
     * default of one worker per core but one (a 2-core machine: one worker), every step starts a
     * new thread instead, over 150 in a plan. Two workers there, set before the pool exists; a
     * machine with more cores, or a value the user set, is left as it is. Not for `pulumi up`, nor
     * a plan on the SDK's runner ({@link PlanEngine#RUNNER_PROPERTY}): that runner keeps
     * re-submitting its wait, which would then hold one of the two workers (measured slower).
     */
    static Optional<String> commonPoolParallelism(int processors, String configured) {
        return configured == null && processors - 1 < 2 ? Optional.of("2") : Optional.empty();
    }
}
