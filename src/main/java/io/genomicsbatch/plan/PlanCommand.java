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
 * stack, computed offline by the real program; {@code policies --stack NAME [--out DIR] [--dir DIR]}: what
 * the roles a stack brings need, from the same plan; {@code --version}, {@code --help}.
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
                   target/genomics-batch policies --stack NAME [--out OUT] [--dir DIR]
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

            policies: the trust policy, inline policies and AWS-managed policies that the roles the stack
            brings (instanceProfileArn's role, jobRoleArn, headJobRoleArn) need, taken from the plan: as
            JSON on stdout, or with --out OUT as OUT/policies.json and one IAM document per file in
            OUT/ROLE/. A stack that brings no role prints {} (and says so on stderr).

            Exit status:
              0  the plan (or this help, or the version) was printed
              1  the stack's config or a stack file is wrong: a value the program refuses, a file that
                 cannot be read or parsed, a Pulumi.NAME.yml (Pulumi reads only Pulumi.NAME.yaml);
                 or policies cannot write to OUT
              2  usage error: unknown command or option, missing value, unknown format, no such
                 stack (no Pulumi.NAME.yaml) or no genomics-batch project in the directory
              3  the program failed for another reason (a bug: please report the message)
            """;

    private static final Set<String> HELP = Set.of("--help", "-h", "help");
    private static final Set<String> VERSION = Set.of("--version", "version");
    private static final Set<String> PLAN_OPTIONS = Set.of("--stack", "--format", "--dir");
    private static final Set<String> POLICIES_OPTIONS = Set.of("--stack", "--out", "--dir");
    /** A stack's own name, as Pulumi allows it (and so as it appears in Pulumi.NAME.yaml). */
    private static final java.util.regex.Pattern STACK_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args, PrintStream stdout, PrintStream err) {
        if (args.length == 0) {
            // No command at all is a usage error; asked-for help is output and success.
            err.print(USAGE);
            return USAGE_ERROR;
        }
        // Help whatever follows (`help plan`); the version alone.
        if (HELP.contains(args[0]) || VERSION.contains(args[0]) && args.length == 1) {
            return flag(args[0], stdout);
        }
        if (VERSION.contains(args[0])) {
            return usage("unexpected argument \"" + args[1] + "\"", err);
        }
        var command = args[0];
        if (!command.equals("plan") && !command.equals("policies")) {
            return usage("unknown command \"" + command + "\": the commands are plan and policies", err);
        }
        var options = command.equals("plan") ? PLAN_OPTIONS : POLICIES_OPTIONS;
        String stack = null;
        var format = PlanRenderer.Format.TEXT;
        var dir = Path.of(".");
        Path outDir = null;
        for (var i = 1; i < args.length; i++) {
            var arg = args[i];
            // --stack=dev is --stack dev.
            var equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
            var option = equals < 0 ? arg : arg.substring(0, equals);
            if (arg.startsWith("-") && (HELP.contains(option) || VERSION.contains(option))) {
                return equals < 0 ? flag(option, stdout) : usage(option + " takes no value", err);
            }
            if (!arg.startsWith("-")) {
                return usage("unexpected argument \"" + arg + "\"" + (stack == null ? "; did you mean --stack " + arg
                        + "?" : ""), err);
            }
            if (!options.contains(option)) {
                return usage("unknown option " + option + (command.equals("policies") ? " for policies" : ""), err);
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
                case "--out" -> outDir = Path.of(value);
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
        var rendered = format;
        var exportTo = outDir;
        return command.equals("plan")
                ? plan(stack, dir, err, plan -> {
                    stdout.print(PlanRenderer.render(plan, rendered));
                    return OK;
                })
                : plan(stack, dir, err, plan -> policies(plan, exportTo, stdout, err));
    }

    /** The brought roles' policies: JSON on stdout, or files under {@code out}. */
    private static int policies(Plan plan, Path out, PrintStream stdout, PrintStream err) {
        var export = PolicyExport.of(plan);
        if (export.isEmpty()) {
            err.println("stack " + plan.stack() + " brings no role (instanceProfileArn, jobRoleArn and "
                    + "headJobRoleArn are unset): it creates every role with its policies, so there is nothing to "
                    + "export");
            stdout.print("{}\n");
            return OK;
        }
        if (out == null) {
            stdout.print(PolicyExport.json(export.get()));
            return OK;
        }
        try {
            PolicyExport.write(export.get(), out).forEach(f -> stdout.println("wrote " + f));
            return OK;
        } catch (IOException e) {
            err.println("error: cannot write the policies to " + out + ": " + e);
            return CONFIG_ERROR;
        }
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

    /** Plans the stack and hands the plan to {@code then}; a failure to plan is reported with its exit status. */
    private static int plan(String stack, Path dir, PrintStream err, java.util.function.ToIntFunction<Plan> then) {
        try {
            var plan = PlanEngine.run(stack, () -> StackFiles.load(dir, stack),
                    files -> ctx -> App.deploy(ctx, files.source()));
            return then.applyAsInt(plan);
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
