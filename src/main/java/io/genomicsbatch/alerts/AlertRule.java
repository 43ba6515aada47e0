package io.genomicsbatch.alerts;


import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EventBridge rules that notify: each an event pattern over this environment's queues and a readable
 * message (an input transformer's template). "Batch Job State Change" is sent per job, and an engine submits
 * one job per task: a run is its head job (on the head-job queue), so run messages come once per run; task
 * messages cover the other queues. EC2 puts no instance tags in its Spot warning, so that rule cannot be
 * scoped to this environment's hosts: it matches every Spot instance of the account and region.
 */
public enum AlertRule {
    RUN_SUCCEEDED("run-succeeded", "a workflow run (head job) succeeded"),
    RUN_FAILED("run-failed", "a workflow run (head job) failed"),
    TASK_FAILED("task-failed", "a task (a job on the task queues) failed"),
    QUEUE_BLOCKED("queue-blocked", "a job blocks one of the queues"),
    SPOT_INTERRUPTION("spot-interruption", "a Spot instance of this account and region gets its interruption warning");

    static final String BATCH = "aws.batch";
    static final String JOB_STATE_CHANGE = "Batch Job State Change";
    static final String JOB_QUEUE_BLOCKED = "Batch Job Queue Blocked";
    static final String SPOT_WARNING = "EC2 Spot Instance Interruption Warning";

    private final String suffix;
    private final String what;

    AlertRule(String suffix, String what) {
        this.suffix = suffix;
        this.what = what;
    }

    /** The logical-name suffix ("genomics-batch-run-failed"). */
    public String suffix() {
        return suffix;
    }

    public String description(String environment) {
        return environment + ": " + what;
    }

    /**
     * The queues the patterns name, by ARN.
     *
     * @param headJob the head-job queue, where runs are
     * @param tasks   every other queue, where tasks are
     */
    public record Queues(String headJob, List<String> tasks) {
        public Queues {
            tasks = List.copyOf(tasks);
        }

        List<String> all() {
            var all = new java.util.ArrayList<>(tasks);
            all.add(0, headJob);
            return all;
        }
    }

    /** The event pattern, as a JSON-ready map (exact values only). */
    public Map<String, Object> pattern(Queues q) {
        return switch (this) {
            case RUN_SUCCEEDED -> jobState(List.of(q.headJob()), "SUCCEEDED");
            case RUN_FAILED -> jobState(List.of(q.headJob()), "FAILED");
            case TASK_FAILED -> jobState(q.tasks(), "FAILED");
            case QUEUE_BLOCKED -> pattern(BATCH, JOB_QUEUE_BLOCKED, Map.of("jobQueue", q.all()));
            case SPOT_INTERRUPTION -> pattern("aws.ec2", SPOT_WARNING, Map.of());
        };
    }

    public String patternJson(Queues q) {
        return io.genomicsbatch.iam.PolicyDocuments.json(pattern(q));
    }

    /** Event fields the message uses (an input transformer's input paths). */
    public Map<String, String> inputPaths() {
        var paths = new LinkedHashMap<String, String>();
        paths.put("time", "$.time");
        if (this == SPOT_INTERRUPTION) {
            paths.put("region", "$.region");
            paths.put("instance", "$.detail.instance-id");
            paths.put("action", "$.detail.instance-action");
            return paths;
        }
        paths.put("name", "$.detail.jobName");
        paths.put("id", "$.detail.jobId");
        paths.put("queue", "$.detail.jobQueue");
        if (this != RUN_SUCCEEDED) {
            paths.put("reason", "$.detail.statusReason");
        }
        return paths;
    }

    /** The message: one JSON string, so SNS delivers it as plain text. */
    public String inputTemplate(String environment) {
        var text = switch (this) {
            case RUN_SUCCEEDED -> environment + ": workflow run <name> SUCCEEDED at <time> (head job <id> on <queue>).";
            case RUN_FAILED -> environment + ": workflow run <name> FAILED at <time>: <reason>. Head job <id> on "
                    + "<queue>; its log: aws batch describe-jobs --jobs <id>. What to do: docs/alerts.md.";
            case TASK_FAILED -> environment + ": task <name> FAILED at <time>: <reason> (job <id> on <queue>). The "
                    + "workflow engine retries it or fails the run, as configured. What to do: docs/alerts.md.";
            case QUEUE_BLOCKED -> environment + ": queue <queue> is blocked at <time> by job <name> (<id>): <reason>."
                    + " Batch cancels such jobs by the queue's time limits. What to do: docs/alerts.md.";
            case SPOT_INTERRUPTION -> "Spot instance <instance> in <region> gets its two-minute interruption warning "
                    + "(<action>) at <time>. This covers every Spot instance of the account and region, not only "
                    + environment + "'s hosts. What to do: docs/alerts.md.";
        };
        return "\"" + text + "\"";
    }

    private static Map<String, Object> jobState(List<String> queues, String status) {
        return pattern(BATCH, JOB_STATE_CHANGE, Map.of("jobQueue", queues, "status", List.of(status)));
    }

    private static Map<String, Object> pattern(String source, String detailType, Map<String, Object> detail) {
        var pattern = new LinkedHashMap<String, Object>();
        pattern.put("source", List.of(source));
        pattern.put("detail-type", List.of(detailType));
        if (!detail.isEmpty()) {
            pattern.put("detail", new java.util.TreeMap<>(detail));
        }
        return pattern;
    }
}
