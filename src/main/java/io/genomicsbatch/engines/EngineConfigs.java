package io.genomicsbatch.engines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Ready-to-use settings for the workflow engines that run on this environment, built from its
 * real values: a {@code nextflow.config} for Nextflow's {@code awsbatch} executor, a Cromwell AWS
 * Batch backend in HOCON, and the command-line arguments of Snakemake's AWS Batch executor plugin.
 * Every value is quoted for its format, so no value can change the structure around it.
 */
public final class EngineConfigs {
    private EngineConfigs() {
    }

    /** The Cromwell backend's name in {@code backend.providers}. */
    public static final String CROMWELL_BACKEND = "AWSBatch";
    public static final String CROMWELL_ACTOR_FACTORY = "cromwell.backend.impl.aws.AwsBatchBackendLifecycleActorFactory";
    /** The label a Nextflow process carries to run on the high-priority (On-Demand first) queue. */
    public static final String NEXTFLOW_HIGH_PRIORITY_LABEL = "high_priority";
    /** nf-core's label for processes that can use a GPU (nf-core/tools' pipeline template, conf/base.config). */
    public static final String NEXTFLOW_GPU_LABEL = "process_gpu";
    /** The Cromwell backend whose tasks run on the gpu queue, chosen per task with {@code runtime { backend: ... }}. */
    public static final String CROMWELL_GPU_BACKEND = "AWSBatchGPU";
    /** Cromwell's AWS backend name of a task's working disk (/cromwell_root on the hosts). */
    public static final String CROMWELL_WORKING_DISK = "local-disk";
    /** GPUs a routed task requests unless it asks for more: AWS Batch exposes only requested GPUs to a container. */
    public static final int GPUS_PER_TASK = 1;

    /**
     * Where the configs put the work directory while the stack has none: no bucket can have this name (S3
     * allows no '<'), so no work file lands in a bucket the user did not choose for them.
     */
    public static final String WORK_DIRECTORY_PLACEHOLDER = "s3://<work-bucket>/<prefix>";

    /** The stack outputs the configs are exported as. */
    public static final String NEXTFLOW_OUTPUT = "nextflowConfig";
    public static final String CROMWELL_OUTPUT = "cromwellBackendConfig";
    public static final String SNAKEMAKE_OUTPUT = "snakemakeArgs";
    /** The Snakemake AWS Batch plugin's option for attempts per job that retry a host termination only. */
    public static final String SNAKEMAKE_SPOT_ATTEMPTS = "--aws-batch-spot-attempts";
    /** The three, in the order {@link #byOutputName} gives them. */
    public static final List<String> OUTPUT_NAMES = List.of(NEXTFLOW_OUTPUT, CROMWELL_OUTPUT, SNAKEMAKE_OUTPUT);

    /**
     * Every engine's config by its stack output name, in that order: one call for the program to
     * apply to the environment's resolved values.
     */
    public static Map<String, String> byOutputName(EngineInputs in) {
        var configs = new LinkedHashMap<String, String>();
        configs.put(NEXTFLOW_OUTPUT, nextflowConfig(in));
        configs.put(CROMWELL_OUTPUT, cromwellBackendConfig(in));
        configs.put(SNAKEMAKE_OUTPUT, snakemakeArgs(in));
        return java.util.Collections.unmodifiableMap(configs);
    }

    /**
     * A complete {@code nextflow.config}. Tasks run as the job role (without it they would get the
     * instance role, which has no S3 access), use the hosts' AWS CLI, keep their scratch ({@code /tmp},
     * where Nextflow's task directory and Fusion's cache live) on the hosts' data storage, and are
     * resubmitted after a Spot reclaim (Nextflow 24.10 and later default to no retry). With a GPU
     * queue, processes labelled {@value #NEXTFLOW_GPU_LABEL} go there with a GPU each (Nextflow's
     * awsbatch executor turns {@code accelerator} into the job's GPU resource requirement).
     */
    public static String nextflowConfig(EngineInputs in) {
        return nextflow(in, java.util.Optional.empty());
    }

    /** The stack output of {@link #nextflowFairShareConfig}. */
    public static final String NEXTFLOW_FAIR_SHARE_OUTPUT = "nextflowFairShareConfig";
    /** What AWS Batch requires on every job of a fair-share queue besides its identifier (0-9999). */
    public static final int FAIR_SHARE_SCHEDULING_PRIORITY = 0;

    /**
     * {@link #nextflowConfig} for the fair-share queue: every task goes there, with the share identifier
     * of the profile the run names ({@code -profile labA}; one profile per share that is not a prefix) and
     * the scheduling priority AWS requires. No process is routed to another queue: Nextflow sends
     * {@code aws.batch.shareIdentifier} with every job it submits, and AWS Batch documents the parameter for
     * fair-share queues only.
     */
    public static String nextflowFairShareConfig(EngineInputs in, FairShareQueue queue) {
        return nextflow(in, java.util.Optional.of(queue));
    }

    private static String nextflow(EngineInputs in, java.util.Optional<FairShareQueue> fair) {
        var g = new StringBuilder();
        g.append("// nextflow.config for ").append(fair.isPresent() ? "the fair-share queue of " : "")
                .append(subject(in, "the AWS Batch environment "))
                .append(" (generated by Pulumi; regenerate with `pulumi stack output ")
                .append(in.group().isPresent() ? "groups --json" : fair.isPresent() ? NEXTFLOW_FAIR_SHARE_OUTPUT
                        : NEXTFLOW_OUTPUT).append("`).\n");
        if (fair.isPresent()) {
            g.append("// Run as your share: nextflow run <pipeline> -c nextflow.config -profile <share>, with the\n");
            g.append("// submitter policy and your share's policy (shareSubmitterPolicyArns) attached to you.\n\n");
        } else {
            g.append("// Run: nextflow run <pipeline> -c nextflow.config\n\n");
        }
        if (in.workDir().isEmpty()) {
            g.append(NO_WORK_DIRECTORY.replace("#", "//")).append("// (-work-dir on the command line overrides it.)\n");
        }
        g.append("workDir = ").append(groovy(workDir(in) + "/nextflow/work")).append("\n\n");
        g.append("process {\n");
        g.append("    executor = 'awsbatch'\n");
        if (fair.isPresent()) {
            g.append("    // The fair-share queue: Spot first, then On-Demand. Every task goes here: Nextflow sends the share\n");
            g.append("    // identifier with every job, and AWS Batch takes one on fair-share queues only.\n");
            g.append("    queue = ").append(groovy(fair.get().queueArn())).append('\n');
        } else {
            routedQueues(in, g);
        }
        resourceLabels(in, g);
        g.append("}\n\n");
        g.append("aws {\n");
        g.append("    region = ").append(groovy(in.region())).append('\n');
        g.append("    batch {\n");
        g.append("        // Tasks run as the job role; without it they would use the hosts' instance role.\n");
        g.append("        jobRole = ").append(groovy(in.jobRoleArn())).append('\n');
        g.append("        // The hosts' self-contained AWS CLI v2 (Nextflow mounts its grandparent directory read-only).\n");
        g.append("        cliPath = ").append(groovy(in.awsCliPath())).append('\n');
        g.append("        // Task scratch (/tmp in the container) on the hosts' data storage, not Docker's writable layer.\n");
        in.sharedMountPath().ifPresent(path -> g.append("        // And the shared file system, at the path every host mounts it.\n"));
        g.append("        volumes = [").append(groovy(in.scratchHostPath() + ":/tmp"));
        in.sharedMountPath().ifPresent(path -> g.append(", ").append(groovy(path)));
        g.append("]\n");
        g.append("        // Resubmit a task whose Spot instance was reclaimed (0 by default since Nextflow 24.10).\n");
        g.append("        maxSpotAttempts = ").append(in.nextflowSpotAttempts()).append('\n');
        g.append("        logsGroup = ").append(groovy(in.logGroupName())).append('\n');
        if (fair.isPresent()) {
            g.append("        // AWS Batch requires a scheduling priority on every job of a fair-share queue: 0-9999, higher\n");
            g.append("        // first among your share's own jobs. Raise it for an urgent run in a config given after this one.\n");
            g.append("        schedulingPriority = ").append(FAIR_SHARE_SCHEDULING_PRIORITY).append('\n');
        }
        g.append("    }\n");
        g.append("}\n\n");
        fair.ifPresent(queue -> shareProfiles(queue, g));
        in.containerRegistry().ifPresent(registry -> {
            g.append("// Images named without a registry (such as nf-core modules' 'biocontainers/...') are pulled through\n");
            g.append("// this account's ECR pull-through cache; names with a registry (quay.io/..., public.ecr.aws/...) are\n");
            g.append("// pulled as written. Given with -c, this overrides a pipeline's own docker.registry (nf-core: quay.io).\n");
            g.append("docker.registry = ").append(groovy(registry)).append("\n\n");
        });
        if (in.privateNetworking()) {
            g.append(NO_INTERNET);
            return g.toString();
        }
        g.append("// Fusion instead of the AWS CLI: tasks read and write S3 through a FUSE file system, caching in\n");
        g.append("// /tmp (on the data storage through the volume above). The job role may tag objects in the\n");
        g.append("// data buckets, as Fusion does with every object it writes. Uncomment both lines:\n");
        g.append("// fusion.enabled = true\n");
        g.append("// wave.enabled = true\n");
        return g.toString();
    }

    /**
     * The default queue (or a group's), its move to the high-priority queue after Spot reclaims when asked,
     * and the processes routed to the high-priority and GPU queues by label (not for a group: its queue only).
     */
    private static void routedQueues(EngineInputs in, StringBuilder g) {
        if (in.spotRetries().onDemandFallback() && in.group().isEmpty()) {
            onDemandFallback(in, g);
        } else {
            g.append("    // ").append(defaultQueueNote(in)).append('\n');
            g.append("    queue = ").append(groovy(in.defaultQueueArn())).append('\n');
        }
        if (in.group().isEmpty()) {
            g.append("    // Processes labelled '").append(NEXTFLOW_HIGH_PRIORITY_LABEL)
                    .append("' go to the high-priority queue (On-Demand first).\n");
            g.append("    withLabel: ").append(groovy(NEXTFLOW_HIGH_PRIORITY_LABEL)).append(" {\n");
            g.append("        queue = ").append(groovy(in.highPriorityQueueArn())).append('\n');
            g.append("    }\n");
        }
        in.gpuQueueArn().ifPresent(gpu -> {
            // After high_priority: for a process with both labels, the later selector wins.
            g.append("    // Processes labelled '").append(NEXTFLOW_GPU_LABEL).append("' (nf-core's GPU label) go to the gpu queue")
                    .append(" with ").append(GPUS_PER_TASK).append(" GPU:\n");
            g.append("    // AWS Batch gives a container only the GPUs it requests (accelerator). Set accelerator in a\n");
            g.append("    // config given after this one for processes that need more. nf-core pipelines: add -profile gpu\n");
            g.append("    // as well, so that their modules use the GPU.\n");
            g.append("    withLabel: ").append(groovy(NEXTFLOW_GPU_LABEL)).append(" {\n");
            g.append("        queue = ").append(groovy(gpu)).append('\n');
            g.append("        accelerator = ").append(GPUS_PER_TASK).append('\n');
            g.append("    }\n");
        });
    }

    /**
     * One profile per share that a job can carry as it is. A prefix share ({@code lab*}) names no identifier:
     * its members each set one that starts with the prefix.
     */
    private static void shareProfiles(FairShareQueue queue, StringBuilder g) {
        g.append("// Your share's identifier: -profile <share> (combine with others: -profile docker,<share>).\n");
        var prefixes = queue.shareIdentifiers().stream().filter(id -> id.endsWith("*")).toList();
        if (!prefixes.isEmpty()) {
            g.append("// Prefix shares (").append(comment(String.join(", ", prefixes))).append(") have no profile: set\n");
            g.append("// aws.batch.shareIdentifier to an identifier that starts with the prefix in a config of your own.\n");
        }
        g.append("profiles {\n");
        for (var id : queue.exactIdentifiers()) {
            g.append("    ").append(groovy(id)).append(" {\n");
            g.append("        aws.batch.shareIdentifier = ").append(groovy(id)).append('\n');
            g.append("    }\n");
        }
        g.append("}\n\n");
    }

    /**
     * What replaces the Fusion lines for hosts without internet: Wave is Seqera's service on the internet,
     * and Fusion's client comes through Wave, so neither can work; both are set off rather than left to a
     * later config to switch on and fail in every task.
     */
    static final String NO_INTERNET = """
            // Hosts without internet (privateNetworking): Fusion and Wave are unavailable. Wave is Seqera's
            // service on the internet and Fusion's client is delivered through it, so tasks keep the AWS CLI.
            // Task images must come from Amazon ECR, and a head job's image must carry the pipeline and the
            // Nextflow plugins it needs (NXF_OFFLINE=true): GitHub and the plugin registry are out of reach.
            fusion.enabled = false
            wave.enabled = false
            """;

    /**
     * The default queue, and the move to the high-priority queue after Spot reclaims. AWS Batch retries a
     * reclaimed job itself up to {@code maxSpotAttempts} times and exits on any other failure, so a job that
     * fails with the reclaim's status reason was reclaimed on every attempt. Nextflow (24.10 and later)
     * exposes that failure as {@code task.previousException} to errorStrategy (the current failure) and to
     * the next attempt's queue, and the queue an attempt ran on as {@code task.previousTrace.queue}.
     */
    private static void onDemandFallback(EngineInputs in, StringBuilder g) {
        var reclaimed = "task.previousException?.message?.startsWith(" + groovy(SpotRetries.hostTerminatedPrefix())
                + ")";
        var high = groovy(in.highPriorityQueueArn());
        g.append("    // The default queue: Spot first, then On-Demand. A task whose Batch job a Spot reclaim ended (its\n");
        g.append("    // reason starts 'Host EC2', after aws.batch.maxSpotAttempts attempts) runs again on the high-priority\n");
        g.append("    // queue (On-Demand first), and its later attempts stay there.\n");
        g.append("    queue = { task.attempt > 1 && (").append(reclaimed).append(" || task.previousTrace?.queue == ")
                .append(high).append(") ? ").append(high).append(" : ").append(groovy(in.defaultQueueArn()))
                .append(" }\n");
        g.append("    // Retry a task a Spot reclaim ended (maxRetries times); any other failure stops the run, Nextflow's\n");
        g.append("    // default. This replaces the pipeline's process-wide errorStrategy, not its withLabel/withName ones.\n");
        g.append("    errorStrategy = { ").append(reclaimed).append(" ? 'retry' : 'terminate' }\n");
    }

    /** What the configs are for: the environment (as {@code environment} calls it), or a group of it. */
    private static String subject(EngineInputs in, String environment) {
        return in.group().map(g -> "the group " + comment(g.name()) + " of " + environment).orElse(environment)
                + comment(in.environment());
    }

    /** The comment on the queue tasks go to: the default queue, or the group's. */
    private static String defaultQueueNote(EngineInputs in) {
        return in.group().map(g -> "The group's queue: " + g.capacity() + " hosts of its own, at most " + g.maxVcpus()
                + " vCPUs at a time.").orElse("The default queue: Spot first, then On-Demand.");
    }

    /** The job tag holding Nextflow's run name (a new one per run, -resume included). */
    public static final String RUN_LABEL = "genomics-batch-run";
    /** The job tag holding Nextflow's session ID (kept by -resume: one per run and its resumptions). */
    public static final String SESSION_LABEL = "genomics-batch-session";

    /**
     * Every task's job tags: the stack's tags and the run's name and session. Nextflow's awsbatch executor
     * submits them as the job's tags with propagateTags, so they reach the ECS task too. A closure, so that
     * {@code workflow} resolves per task, when the run exists.
     */
    private static void resourceLabels(EngineInputs in, StringBuilder g) {
        g.append("    // Job tags (Batch job and ECS task): the stack's tags and this run's name and session, for\n");
        g.append("    // cost per run. A process's own resourceLabels replace these: add them to it, don't drop them.\n");
        g.append("    resourceLabels = { [");
        in.tags().forEach((key, value) -> g.append(groovy(key)).append(": ").append(groovy(value)).append(", "));
        g.append(groovy(RUN_LABEL)).append(": workflow.runName, ").append(groovy(SESSION_LABEL))
                .append(": workflow.sessionId.toString()] }\n");
    }

    /**
     * A Cromwell configuration for the AWS Batch backend: the {@code aws} auth and region, the S3
     * filesystem, and the backend with the default queue as its {@code queueArn} runtime attribute.
     * With a GPU queue, a second backend ({@value #CROMWELL_GPU_BACKEND}) submits to it with one GPU
     * per task: Cromwell assigns backends per task ({@code runtime { backend: ... }}), a backend's
     * config cannot select tasks. The execution root is {@code workDir}/cromwell-execution.
     */
    public static String cromwellBackendConfig(EngineInputs in) {
        var h = new StringBuilder();
        h.append("# Cromwell AWS Batch backend for ").append(subject(in, "the environment ")).append(" (generated by Pulumi;\n");
        h.append("# regenerate with `pulumi stack output ")
                .append(in.group().isPresent() ? "groups --json" : "cromwellBackendConfig").append("`). Run:\n");
        h.append("#   java -Dconfig.file=cromwell.conf -jar cromwell.jar run workflow.wdl --options options.json\n");
        h.append("# Jobs run as the job role only when the workflow options name it; options.json:\n");
        h.append("#   {\"aws_batch_job_role_arn\": \"").append(comment(in.jobRoleArn())).append("\"}\n");
        h.append("include required(classpath(\"application\"))\n\n");
        h.append("aws {\n");
        h.append("  application-name = \"cromwell\"\n");
        h.append("  auths = [\n");
        h.append("    {\n");
        h.append("      name = \"default\"\n");
        h.append("      scheme = \"default\"\n");
        h.append("    }\n");
        h.append("  ]\n");
        h.append("  region = ").append(hocon(in.region())).append('\n');
        h.append("}\n\n");
        h.append("engine {\n");
        h.append("  filesystems {\n");
        h.append("    s3 {\n");
        h.append("      auth = \"default\"\n");
        h.append("    }\n");
        h.append("  }\n");
        h.append("}\n\n");
        h.append("backend {\n");
        h.append("  default = ").append(hocon(CROMWELL_BACKEND)).append('\n');
        h.append("  providers {\n");
        cromwellProvider(h, in, CROMWELL_BACKEND, in.defaultQueueArn(), in.group().isPresent()
                ? List.of(defaultQueueNote(in)) : List.of(
                "The default queue: Spot first, then On-Demand. A task may set its own queueArn,",
                "e.g. the high-priority queue " + comment(in.highPriorityQueueArn())), 0);
        in.gpuQueueArn().ifPresent(gpu -> cromwellProvider(h, in, CROMWELL_GPU_BACKEND, gpu, List.of(
                "The gpu queue, for tasks that say runtime { backend: \"" + CROMWELL_GPU_BACKEND + "\" }: a backend's",
                "config cannot pick tasks, a task picks its backend. " + GPUS_PER_TASK + " GPU each unless the task",
                "sets gpuCount (AWS Batch gives a container only the GPUs it requests)."), GPUS_PER_TASK));
        h.append("  }\n");
        h.append("}\n");
        return h.toString();
    }

    /** One AWS Batch backend under {@code backend.providers}; {@code gpus} 0 requests none. */
    private static void cromwellProvider(StringBuilder h, EngineInputs in, String name, String queueArn,
                                         List<String> queueComment, int gpus) {
        h.append("    ").append(name).append(" {\n");
        h.append("      actor-factory = ").append(hocon(CROMWELL_ACTOR_FACTORY)).append('\n');
        h.append("      config {\n");
        h.append("        numSubmitAttempts = 6\n");
        h.append("        numCreateDefinitionAttempts = 6\n");
        if (in.workDir().isEmpty()) {
            h.append(NO_WORK_DIRECTORY.replaceAll("(?m)^", "        "));
        }
        h.append("        root = ").append(hocon(cromwellRoot(in))).append('\n');
        h.append("        auth = \"default\"\n");
        h.append("        default-runtime-attributes {\n");
        queueComment.forEach(line -> h.append("          # ").append(line).append('\n'));
        h.append("          queueArn = ").append(hocon(queueArn)).append('\n');
        if (in.spotRetries().everyEngine()) {
            cromwellSpotRetries(h, in.spotRetries());
        }
        in.sharedMountPath().ifPresent(path -> {
            h.append("          # The working disk and the shared file system (the host path of the same name). A task\n");
            h.append("          # that sets its own disks replaces this: list ").append(comment(path)).append(" there too.\n");
            h.append("          disks = ").append(hocon(CROMWELL_WORKING_DISK + ", " + path)).append('\n');
        });
        if (gpus > 0) {
            h.append("          gpuCount = ").append(gpus).append('\n');
        }
        h.append("        }\n");
        h.append("        filesystems {\n");
        h.append("          s3 {\n");
        h.append("            auth = \"default\"\n");
        h.append("          }\n");
        h.append("        }\n");
        h.append("      }\n");
        h.append("    }\n");
    }

    /**
     * AWS Batch retries a job whose host was terminated, and exits on anything else (Cromwell 91 and later:
     * its AWS backend turns these runtime attributes into the job definition's retry strategy).
     */
    private static void cromwellSpotRetries(StringBuilder h, SpotRetries retries) {
        h.append("          # Spot reclaims: AWS Batch reruns a task whose host was terminated, ").append(retries.attempts())
                .append(" attempts in all;\n");
        h.append("          # any other failure ends the job and reaches Cromwell (maxRetries). Cromwell 91+.\n");
        h.append("          awsBatchRetryAttempts = ").append(retries.attempts()).append('\n');
        h.append("          awsBatchEvaluateOnExit = [\n");
        h.append("            { action = \"RETRY\", onStatusReason = ").append(hocon(SpotRetries.HOST_TERMINATED))
                .append(" },\n");
        h.append("            { action = \"EXIT\", onReason = \"*\" }\n");
        h.append("          ]\n");
    }

    private static String cromwellRoot(EngineInputs in) {
        return workDir(in) + "/cromwell-execution";
    }

    /**
     * The arguments of {@code snakemake} for the AWS Batch executor plugin, as one line for a POSIX
     * shell. Storage goes through Snakemake's S3 storage plugin, under {@code workDir}/snakemake.
     */
    public static String snakemakeArgs(EngineInputs in) {
        return String.join(" ", snakemakeArgList(in).stream().map(EngineConfigs::shell).toList());
    }

    /** {@link #snakemakeArgs} as separate arguments (for an exec-style call, no shell). */
    public static List<String> snakemakeArgList(EngineInputs in) {
        var args = new ArrayList<>(List.of(
                "--executor", "aws-batch",
                "--aws-batch-region", in.region(),
                "--aws-batch-job-queue", in.defaultQueueArn(),
                "--aws-batch-job-role", in.jobRoleArn(),
                "--default-storage-provider", "s3",
                "--default-storage-prefix", workDir(in) + "/snakemake"));
        if (in.spotRetries().everyEngine()) {
            // Each job's retry strategy then retries a host termination only (see docs/shared-labs.md for
            // which plugin has the option).
            args.addAll(List.of(SNAKEMAKE_SPOT_ATTEMPTS, String.valueOf(in.spotRetries().attempts())));
        }
        // Last, so that a run's own KEY=VALUE can follow. The plugin splits each at its first '=', so a
        // key holding '=' cannot be passed this way: such tags are left out.
        var tags = in.tags().entrySet().stream().filter(t -> !t.getKey().contains("="))
                .map(t -> t.getKey() + "=" + t.getValue()).toList();
        if (!tags.isEmpty()) {
            args.add("--aws-batch-tags");
            args.addAll(tags);
        }
        return List.copyOf(args);
    }

    /** The comment above the placeholder, as '#' lines (Nextflow's config gets them as '//' lines). */
    private static final String NO_WORK_DIRECTORY = """
            # No work directory yet: the placeholder below is not a bucket. Set the stack's
            # genomics-batch:workDirectory to s3://BUCKET/PREFIX (a bucket of its dataBucketNames) and
            # regenerate this file, or replace the placeholder here.
            """;

    /** The stack's work directory, or {@link #WORK_DIRECTORY_PLACEHOLDER}. */
    private static String workDir(EngineInputs in) {
        return in.workDir().orElse(WORK_DIRECTORY_PLACEHOLDER);
    }

    /** A Groovy single-quoted string: no interpolation; backslash, quote and control characters escaped. */
    static String groovy(String value) {
        return quoted(value, '\'');
    }

    /** A HOCON quoted string (JSON string syntax). */
    static String hocon(String value) {
        return quoted(value, '"');
    }

    /** Both formats escape the same way: backslash, the quote itself, and control characters. */
    private static String quoted(String value, char quote) {
        var out = new StringBuilder().append(quote);
        for (var c : value.toCharArray()) {
            if (c == '\\' || c == quote) {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(quote).toString();
    }

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");

    /** One word for a POSIX shell: as is when it has no special characters, else single-quoted. */
    static String shell(String value) {
        if (SHELL_SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Text for a one-line comment: line breaks removed so a value cannot end the comment. */
    private static String comment(String value) {
        return value.replaceAll("[\\r\\n\\u2028\\u2029\\u0085]", " ");
    }
}
