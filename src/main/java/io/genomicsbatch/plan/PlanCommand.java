package io.genomicsbatch.plan;

import io.genomicsbatch.App;
import io.genomicsbatch.config.StackFiles;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code java -jar genomics-batch.jar plan --stack NAME [--format text|json|mermaid] [--dir DIR]}:
 * what {@code pulumi up} would build for a stack, computed offline by the real program.
 */
public final class PlanCommand {
    private PlanCommand() {
    }

    static final String USAGE = """
            usage: java -jar target/genomics-batch.jar plan --stack NAME [--format text|json|mermaid|user-data] [--dir DIR]

              --stack NAME     the stack: reads Pulumi.yaml and Pulumi.NAME.yaml
              --format FORMAT  text (default): resource tree with the inputs to review
                               json: every resource, its inputs and options, and the outputs
                               mermaid: the job queues and the compute environments they use, in order
                               user-data: every script each launch template's hosts run, as delivered
              --dir DIR        the project directory (default: the current directory)
            Runs the program under Pulumi's mock engine: no credentials, no Pulumi CLI, no network.
            Exit status: 0 planned, 1 the program refused the config, 2 usage error or unknown stack.
            """;

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            // Asked-for help is output and success; no command at all is a usage error.
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (!args[0].equals("plan")) {
            err.print("unknown command \"" + args[0] + "\": the only command is plan\n" + USAGE);
            return 2;
        }
        String stack = null;
        var format = PlanRenderer.Format.TEXT;
        var dir = Path.of(".");
        for (var i = 1; i < args.length; i++) {
            var arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(USAGE);
                return 0;
            }
            if (!arg.startsWith("-")) {
                err.print("unexpected argument \"" + arg + "\"" + (stack == null ? "; did you mean --stack " + arg + "?"
                        : "") + "\n" + USAGE);
                return 2;
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                err.print("missing value for " + arg + "\n" + USAGE);
                return 2;
            }
            var value = args[++i];
            switch (arg) {
                case "--stack" -> stack = value;
                case "--dir" -> dir = Path.of(value);
                case "--format" -> {
                    try {
                        format = PlanRenderer.Format.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
                    } catch (IllegalArgumentException e) {
                        err.print("unknown format \"" + value + "\"\n" + USAGE);
                        return 2;
                    }
                }
                default -> {
                    err.print("unknown option " + arg + "\n" + USAGE);
                    return 2;
                }
            }
        }
        if (stack == null) {
            err.print("missing --stack\n" + USAGE);
            return 2;
        }
        return plan(stack, dir, format, out, err);
    }

    private static int plan(String stack, Path dir, PlanRenderer.Format format, PrintStream out, PrintStream err) {
        try {
            var plan = PlanEngine.run(stack, () -> StackFiles.load(dir, stack),
                    files -> ctx -> App.deploy(ctx, files.source()));
            out.print(PlanRenderer.render(plan, format));
            return 0;
        } catch (StackFiles.StackFileException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (PlanEngine.ProgramFailedException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
