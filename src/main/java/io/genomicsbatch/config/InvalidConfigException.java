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

    /** For a stack whose name is not known here: the message names no file. */
    public InvalidConfigException(List<ConfigProblem> problems) {
        super(describe(problems, "with `pulumi config set` or in the stack's config file"));
        this.problems = List.copyOf(problems);
    }

    /** For {@code stack}: the message names its file, Pulumi.&lt;stack&gt;.yaml. */
    public InvalidConfigException(String stack, List<ConfigProblem> problems) {
        super(describe(problems, "in " + StackFiles.fileName(stack) + " or with `pulumi config set --stack " + stack
                + "`"));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems, String where) {
        return "invalid stack configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "); nothing was created. Fix these " + where + ":\n"
                + problems.stream().map(p -> "  - " + p.message()).collect(Collectors.joining("\n"));
    }
}
