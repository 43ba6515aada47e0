package io.genomicsbatch.config;

import com.pulumi.exceptions.RunException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown before any resource is registered when the stack config breaks the contract. A
 * {@link RunException}, so Pulumi prints the message without a stack trace.
 */
public final class InvalidConfigException extends RunException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        return "invalid stack configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "); nothing was created. Fix these with `pulumi config set` or in Pulumi.<stack>.yaml:\n"
                + problems.stream().map(p -> "  - " + p.message()).collect(Collectors.joining("\n"));
    }
}
