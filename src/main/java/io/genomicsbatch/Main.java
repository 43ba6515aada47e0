package io.genomicsbatch;

import com.pulumi.Pulumi;
import io.genomicsbatch.plan.PlanCommand;

/**
 * The jar's entry point. With arguments it runs a command ({@code plan}, {@code --help}); without,
 * it is the Pulumi program the engine starts ({@code runtime.options.binary} in Pulumi.yaml).
 * {@link App} stays the Pulumi program alone, so the plan depends on it and not the reverse.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(PlanCommand.run(args, System.out, System.err));
        }
        // The Pulumi engine always tells the program where its resource monitor is.
        if (System.getenv("PULUMI_MONITOR") == null) {
            System.err.println("genomics-batch is a Pulumi program: deploy it with `pulumi up`, or see what it would"
                    + " build offline with `java -jar target/genomics-batch.jar plan --stack dev`.");
            System.exit(2);
        }
        Pulumi.run(App::stack);
    }
}
