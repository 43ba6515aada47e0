package io.genomicsbatch;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.PulumiConfigSource;

import java.util.Locale;
import java.util.Map;

/**
 * The genomics-batch Pulumi program. {@code pulumi up} runs {@link #stack(Context)}; {@code java -jar
 * genomics-batch.jar plan --stack NAME} runs the same program offline (see {@code plan.PlanCommand}).
 */
public final class App {
    private App() {
    }

    /** Logical name of the component; its children's names start with it. */
    public static final String COMPONENT_NAME = "genomics-batch";

    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(io.genomicsbatch.plan.PlanCommand.run(args, System.out, System.err));
        }
        // The Pulumi engine always tells the program where its resource monitor is.
        if (System.getenv("PULUMI_MONITOR") == null) {
            System.err.println("genomics-batch is a Pulumi program: deploy it with `pulumi up`, or see what it would"
                    + " build offline with `java -jar target/genomics-batch.jar plan --stack dev`.");
            System.exit(2);
        }
        Pulumi.run(App::stack);
    }

    public static void stack(Context ctx) {
        deploy(ctx, new PulumiConfigSource(ctx.config(), System.getenv("PULUMI_CONFIG")));
    }

    /**
     * Reads and checks the config (refusing it before any resource is registered), builds the
     * environment and exports its outputs.
     */
    public static GenomicsBatchEnvironment deploy(Context ctx, ConfigSource config) {
        var read = ConfigReader.read(config);
        var settings = read.orThrow();
        read.warnings().forEach(ctx.log()::warn);

        var environment = new GenomicsBatchEnvironment(COMPONENT_NAME,
                new GenomicsBatchEnvironment.Args(namePrefix(ctx), settings, tags(ctx)));
        environment.outputs().forEach(ctx::export);
        return environment;
    }

    /** "genomics-batch-&lt;stack&gt;", reduced to the characters Batch names allow. */
    static String namePrefix(Context ctx) {
        var prefix = (ConfigKey.NAMESPACE + "-" + ctx.stackName()).replaceAll("[^A-Za-z0-9_-]", "-");
        return prefix.substring(0, Math.min(prefix.length(), GenomicsBatchEnvironment.Args.MAX_NAME_PREFIX));
    }

    static Map<String, String> tags(Context ctx) {
        return Map.of(
                "Project", ConfigKey.NAMESPACE,
                "Environment", ctx.stackName().toLowerCase(Locale.ROOT),
                "ManagedBy", "pulumi");
    }
}
