package io.genomicsbatch.plan;

import com.pulumi.Context;
import io.genomicsbatch.config.AllocationStrategy;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.cost.CostForecast;
import io.genomicsbatch.cost.PriceTable;
import io.genomicsbatch.config.InvalidConfigException;
import io.genomicsbatch.config.StackFiles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** The offline plan: the program recorded under {@link PlanMocks}, which answer without AWS. */
public final class PlanEngine {
    private PlanEngine() {
    }

    /** Raised when the program itself fails (invalid config among others); the message is the program's. */
    public static final class ProgramFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProgramFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * {@code -Dgenomics-batch.plan.runner=sdk} runs the plan on the SDK's own runner, as
     * {@code pulumi preview}/{@code up} run the program, instead of {@link SettlingRunner}: the
     * bench measures the program's evaluation on the deployment path with it. Same plan, slower.
     */
    public static final String RUNNER_PROPERTY = "genomics-batch.plan.runner";

    /** Whether the plan awaits the program's tasks itself (the default) rather than by the SDK's runner. */
    public static boolean settles() {
        return !"sdk".equals(System.getProperty(RUNNER_PROPERTY));
    }

    private static final List<String> LOOKUP_ORDER = List.of("VPC", "subnets", "subnet zones", "route tables", "main route table",
            "region", "AWS partition", "account ID", "AMI parameter", "AMI",
            "instance profile role");

    /**
     * Reads the stack files on a second thread while the SDK's mock engine starts (its protobuf
     * descriptors and the stack resource's registration need nothing from them), then runs the
     * program on what was read. A failure to read them is thrown as is once the engine has ended.
     *
     * @param read    reads the stack files (its warnings are listed before the program's own)
     * @param program the Pulumi program for what was read
     */
    public static Plan run(String stack, Supplier<StackFiles> read, Function<StackFiles, Consumer<Context>> program) {
        var files = CompletableFuture.supplyAsync(read, task -> {
            var reader = new Thread(task, "genomics-batch-stack-files");
            reader.setDaemon(true);
            reader.start();
        });
        // The program, and with it every lookup, starts only after the files were read.
        var mocks = new PlanMocks(() -> files.join().region(),
                () -> ConfigReader.broughtRoleAccount(files.join().source()));
        var recording = Recorder.run(stack, mocks, ctx -> program.apply(files.join()).accept(ctx));
        var stackFiles = read(files);
        if (!recording.exceptions().isEmpty()) {
            var cause = recording.exceptions().get(0);
            throw new ProgramFailedException(programMessage(cause), cause);
        }
        // A fact the fake account was asked twice (the region, by two data sources) is listed once.
        // Keyed by its text: a record's generated hashCode is linked at first use, which costs more.
        var distinct = new LinkedHashMap<List<String>, Lookup>();
        mocks.lookups().forEach(l -> distinct.putIfAbsent(List.of(l.what(), l.answer(), l.source()), l));
        var lookups = new ArrayList<>(distinct.values());
        // AMI lookups run concurrently: ordered by what they name, so the plan is the same on every run.
        lookups.sort(Comparator.<Lookup>comparingInt(l -> LOOKUP_ORDER.indexOf(l.what()))
                .thenComparing(l -> l.what().startsWith("AMI") ? l.answer() : ""));
        var warnings = new ArrayList<>(stackFiles.warnings());
        warnings.addAll(recording.warnings());
        // The program accepted this config, so reading it again gives the settings it built from.
        var settings = ConfigReader.read(stackFiles.source()).orThrow(stackFiles.stack());
        return new Plan(ConfigKey.NAMESPACE, stack, stackFiles.region(), recording.resources(), lookups, warnings,
                recording.outputs(), forecast(settings, stackFiles, recording.resources()), pinnedAmis(settings));
    }

    /**
     * Each pinned environment's AMI source, and whether a new image replaces it: pulumi-aws 6.83.0 updates
     * compute resources in place only with the strategies that {@link AllocationStrategy#updatesInPlace()}.
     */
    static List<Plan.PinnedAmi> pinnedAmis(Settings.Environment settings) {
        var amis = new ArrayList<Plan.PinnedAmi>();
        for (var ce : settings.computeEnvironments()) {
            settings.amis().source(ce).ifPresent(source -> amis.add(new Plan.PinnedAmi(ce.name(), source.byId(),
                    source.value(), source.decidingKey().key(), ce.allocationStrategy().name(),
                    !ce.allocationStrategy().updatesInPlace())));
        }
        return List.copyOf(amis);
    }

    /** The forecast for the settings the program ran with, priced for every resource it registered. */
    private static CostForecast forecast(Settings.Environment settings, StackFiles files,
                                         List<PlannedResource> resources) {
        var types = resources.stream().filter(r -> !r.isComponent()).map(PlannedResource::type).toList();
        return CostForecast.of(settings, files.region(), PriceTable.shipped(), types, endpointZones(resources));
    }

    /**
     * The zones the interface endpoints are in: the subnets they were given, one per zone (each subnet counts
     * as its own zone, as the plan cannot look them up); unknown where the subnets themselves are placeholders.
     */
    public static java.util.OptionalInt endpointZones(List<PlannedResource> resources) {
        var zones = java.util.OptionalInt.empty();
        for (var r : resources) {
            if (r.type().equals("aws:ec2/vpcEndpoint:VpcEndpoint") && "Interface".equals(r.inputs().get("vpcEndpointType"))
                    && r.inputs().get("subnetIds") instanceof List<?> subnets) {
                if (subnets.stream().anyMatch(id -> String.valueOf(id).startsWith("<lookup:"))) {
                    return java.util.OptionalInt.empty();
                }
                zones = java.util.OptionalInt.of(Math.max(zones.orElse(0), subnets.size()));
            }
        }
        return zones;
    }

    private static StackFiles read(CompletableFuture<StackFiles> files) {
        try {
            return files.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The program's own message: the config problems, or the innermost cause of another failure. */
    static String programMessage(Throwable t) {
        var current = t;
        while (!(current instanceof InvalidConfigException) && current.getCause() != null
                && current.getCause() != current) {
            current = current.getCause();
        }
        return current.getMessage();
    }
}
