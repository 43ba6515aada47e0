package io.genomicsbatch;

import com.pulumi.Context;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.PulumiConfigSource;
import io.genomicsbatch.config.ResourceTags;

import java.util.Map;
import java.util.Optional;

/**
 * The genomics-batch Pulumi program: {@code pulumi up} runs {@link #stack(Context)} (started by
 * {@link Main}); the offline plan runs {@link #deploy} under the mock engine.
 */
public final class App {
    private App() {
    }

    /** Logical name of the component; its children's names start with it. */
    public static final String COMPONENT_NAME = "genomics-batch";

    public static void stack(Context ctx) {
        deploy(ctx, new PulumiConfigSource(ctx.config(), System.getenv("PULUMI_CONFIG")));
    }

    /**
     * Reads and checks the config (refusing it before any resource is registered), builds the
     * environment and exports its outputs.
     */
    public static GenomicsBatchEnvironment deploy(Context ctx, ConfigSource config) {
        var settings = ConfigReader.read(config).orThrow(ctx.stackName());
        var environment = new GenomicsBatchEnvironment(COMPONENT_NAME,
                new GenomicsBatchEnvironment.Args(namePrefix(ctx), settings, tags(ctx), Optional.of(ctx.log())));
        environment.outputs().forEach(ctx::export);
        return environment;
    }

    /** "genomics-batch-&lt;stack&gt;", reduced to the characters Batch names allow. */
    static String namePrefix(Context ctx) {
        var prefix = (ConfigKey.NAMESPACE + "-" + ctx.stackName()).replaceAll("[^A-Za-z0-9_-]", "-");
        return prefix.substring(0, Math.min(prefix.length(), GenomicsBatchEnvironment.Args.MAX_NAME_PREFIX));
    }

    /** The program's own tags; the stack's {@code tags} are added to them by the component. */
    static Map<String, String> tags(Context ctx) {
        return ResourceTags.own(ctx.stackName());
    }
}
