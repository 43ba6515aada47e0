package io.genomicsbatch.plan;

import io.genomicsbatch.App;
import io.genomicsbatch.config.StackFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * {@code target/genomics-batch plan --stack NAME [--format text|json|mermaid|user-data] [--dir DIR]}
 * (or {@code java -jar target/genomics-batch.jar ...}): what {@code pulumi up} would build for a
 * stack, computed offline by the real program; {@code --version}, {@code --help}.
 */
public final class PlanCommand {
    private PlanCommand() {
    }

    /** Exit statuses, as the usage text documents them. */
    public static final int OK = 0;
    public static final int CONFIG_ERROR = 1;
    public static final int USAGE_ERROR = 2;
    public static final int PROGRAM_ERROR = 3;

    static final String USAGE = """
            usage: target/genomics-batch plan --stack NAME [--format text|json|mermaid|user-data] [--dir DIR]
                   target/genomics-batch --version
                   target/genomics-batch --help
            `java -jar target/genomics-batch.jar` takes the same arguments (the launcher starts it faster).

              --stack NAME     the stack: reads Pulumi.yaml and Pulumi.NAME.yaml
              --format FORMAT  text (default): resource tree with the inputs to review
                               json: every resource, its inputs and options, and the outputs
                               mermaid: the job queues and the compute environments they use, in order
                               user-data: every script each launch template's hosts run, as delivered
              --dir DIR        the project directory (default: the current directory)
            Options also take the form --stack=NAME, --format=FORMAT, --dir=DIR.
            Runs the program under Pulumi's mock engine: no credentials, no Pulumi CLI, no network.

            Exit status:
              0  the plan (or this help, or the version) was printed
              1  the stack's config or a stack file is wrong: a value the program refuses, a file that
                 cannot be read or parsed, a Pulumi.NAME.yml (Pulumi reads only Pulumi.NAME.yaml)
              2  usage error: unknown command or option, missing value, unknown format, no such
                 stack (no Pulumi.NAME.yaml) or no genomics-batch project in the directory
              3  the program failed for another reason (a bug: please report the message)
            """;

    private static final Set<String> HELP = Set.of("--help", "-h", "help");
    private static final Set<String> VERSION = Set.of("--version", "version");
    private static final Set<String> OPTIONS = Set.of("--stack", "--format", "--dir");
    /** A stack's own name, as Pulumi allows it (and so as it appears in Pulumi.NAME.yaml). */
    private static final java.util.regex.Pattern STACK_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            // No command at all is a usage error; asked-for help is output and success.
            err.print(USAGE);
            return USAGE_ERROR;
        }
        // Help whatever follows (`help plan`); the version alone.
        if (HELP.contains(args[0]) || VERSION.contains(args[0]) && args.length == 1) {
            return flag(args[0], out);
        }
        if (VERSION.contains(args[0])) {
            return usage("unexpected argument \"" + args[1] + "\"", err);
        }
        if (!args[0].equals("plan")) {
            return usage("unknown command \"" + args[0] + "\": the only command is plan", err);
        }
        String stack = null;
        var format = PlanRenderer.Format.TEXT;
        var dir = Path.of(".");
        for (var i = 1; i < args.length; i++) {
            var arg = args[i];
            // --stack=dev is --stack dev.
            var equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
            var option = equals < 0 ? arg : arg.substring(0, equals);
            if (arg.startsWith("-") && (HELP.contains(option) || VERSION.contains(option))) {
                return equals < 0 ? flag(option, out) : usage(option + " takes no value", err);
            }
            if (!arg.startsWith("-")) {
                return usage("unexpected argument \"" + arg + "\"" + (stack == null ? "; did you mean --stack " + arg
                        + "?" : ""), err);
            }
            if (!OPTIONS.contains(option)) {
                return usage("unknown option " + option, err);
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "";
            }
            if (value.isEmpty()) {
                return usage("missing value for " + option, err);
            }
            switch (option) {
                case "--stack" -> {
                    if (!STACK_NAME.matcher(value).matches()) {
                        return usage("invalid stack name \"" + value + "\": Pulumi stack names have 1 to 100 letters,"
                                + " digits, '-', '_' and '.'", err);
                    }
                    stack = value;
                }
                case "--dir" -> dir = Path.of(value);
                default -> {
                    try {
                        format = PlanRenderer.Format.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
                    } catch (IllegalArgumentException e) {
                        return usage("unknown format \"" + value + "\"", err);
                    }
                }
            }
        }
        if (stack == null) {
            return usage("missing --stack", err);
        }
        return plan(stack, dir, format, out, err);
    }

    /** "genomics-batch 0.1.0": the project's name and the pom's version. */
    public static String versionLine() {
        return "genomics-batch " + version();
    }

    /**
     * The pom's version, which the build filters into version.properties: a resource, so it is
     * there in the test classes as in the jar (a manifest entry would be in the jar only).
     */
    static String version() {
        try (var in = PlanCommand.class.getResourceAsStream("/io/genomicsbatch/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/genomicsbatch/version.properties is missing from the build");
            }
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int flag(String flag, PrintStream out) {
        out.print(HELP.contains(flag) ? USAGE : versionLine() + "\n");
        return OK;
    }

    private static int usage(String problem, PrintStream err) {
        err.print(problem + "\n" + USAGE);
        return USAGE_ERROR;
    }

    private static int plan(String stack, Path dir, PlanRenderer.Format format, PrintStream out, PrintStream err) {
        try {
            var plan = PlanEngine.run(stack, () -> StackFiles.load(dir, stack),
                    files -> ctx -> App.deploy(ctx, files.source()));
            out.print(PlanRenderer.render(plan, format));
            return OK;
        } catch (StackFiles.StackFileException e) {
            err.println("error: " + e.getMessage());
            return e.problem() == StackFiles.Problem.NOT_FOUND ? USAGE_ERROR : CONFIG_ERROR;
        } catch (PlanEngine.ProgramFailedException e) {
            err.println("error: " + e.getMessage());
            return refusedConfig(e) ? CONFIG_ERROR : PROGRAM_ERROR;
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return CONFIG_ERROR;
        }
    }

    /** Whether the program stopped because it refused the stack's config (not for a bug of its own). */
    static boolean refusedConfig(Throwable e) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.genomicsbatch.config.InvalidConfigException) {
                return true;
            }
        }
        return false;
    }
}
