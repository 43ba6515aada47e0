package io.genomicsbatch.plan;

import com.pulumi.Context;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.InvalidConfigException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

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

    private static final List<String> LOOKUP_ORDER = List.of("VPC", "subnets", "route tables", "main route table",
            "region", "AWS partition", "account ID");

    /**
     * @param fileWarnings what reading the stack files noticed; listed before the program's own warnings
     */
    public static Plan run(String stack, Optional<String> region, List<String> fileWarnings,
                           Consumer<Context> program) {
        var mocks = new PlanMocks(region);
        var recording = Recorder.run(stack, mocks, program);
        if (!recording.exceptions().isEmpty()) {
            var cause = recording.exceptions().get(0);
            throw new ProgramFailedException(programMessage(cause), cause);
        }
        // A fact the fake account was asked twice (the region, by two data sources) is listed once.
        var lookups = new ArrayList<>(new java.util.LinkedHashSet<>(mocks.lookups()));
        lookups.sort(Comparator.comparingInt(l -> LOOKUP_ORDER.indexOf(l.what())));
        var warnings = new ArrayList<>(fileWarnings);
        warnings.addAll(recording.warnings());
        return new Plan(ConfigKey.NAMESPACE, stack, region, recording.resources(), lookups, warnings,
                recording.outputs());
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
