package io.genomicsbatch.iam;

import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The role a workflow engine's head job (Nextflow, Cromwell, Snakemake run as a Batch job) runs
 * as: it submits and watches the tasks of a run. Batch actions are scoped where AWS allows it: to
 * this environment's queues, to job definitions whose names start with one of
 * {@link #jobDefinitionPrefixes}, and to the job role for {@code iam:PassRole}. Describe and List
 * actions cannot be scoped to resources. S3 is the job role's.
 */
public final class HeadJobRole {
    private HeadJobRole() {
    }

    /**
     * Job definition name prefixes the head job may register, use and deregister: the engines'
     * own (Nextflow "nf-", Cromwell "cromwell_", Snakemake's plugin "snakejob-def-") and this
     * environment's name prefix for definitions of your own.
     */
    public static List<String> jobDefinitionPrefixes(String namePrefix) {
        return List.of("nf-", "cromwell_", "snakejob-def-", namePrefix + "-");
    }

    static final List<String> SUBMIT_ACTIONS = List.of("batch:SubmitJob");
    static final List<String> JOB_DEFINITION_ACTIONS = List.of(
            "batch:RegisterJobDefinition", "batch:DeregisterJobDefinition");
    static final List<String> JOB_ACTIONS = List.of("batch:CancelJob", "batch:TerminateJob", "batch:TagResource");
    /** Read-only calls engines make to follow a run; AWS does not scope them to resources. */
    static final List<String> DESCRIBE_ACTIONS = List.of(
            "batch:DescribeJobQueues", "batch:DescribeComputeEnvironments", "batch:DescribeJobDefinitions",
            "batch:DescribeJobs", "batch:ListJobs",
            "ecs:DescribeTasks", "ecs:DescribeContainerInstances",
            "ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeInstanceAttribute");
    /** Task logs, which engines print when a task fails. */
    static final List<String> LOG_ACTIONS = List.of("logs:GetLogEvents", "logs:FilterLogEvents",
            "logs:DescribeLogStreams");

    /**
     * @param queueArns the environment's job queues (the head job may submit to these only)
     * @param jobRole   the only role the head job may pass (to the job definitions it registers)
     * @param rules     boundary and path of the role, or the role brought instead
     */
    public record Props(String name, String namePrefix, Settings.DataAccess data, Output<AwsAccount> account,
                        Output<List<String>> queueArns, Output<String> jobRoleArn, String logGroupName,
                        Settings.Iam rules, boolean protect, Map<String, String> tags, Resource parent,
                        boolean fairShare) {
    }

    /**
     * The head-job role, created or brought.
     *
     * @param brought the brought role with what this stack would have given it; empty when created
     */
    public record HeadJob(Output<String> arn, Output<String> name, java.util.Optional<BroughtRole> brought) {
    }

    /** The inline policy's name suffix. */
    static final String BATCH_POLICY = "batch";

    public static HeadJob create(Props p) {
        var trust = p.account().applyValue(a -> PolicyDocuments.ecsTasksTrust(a.accountId()));
        var policy = Output.tuple(p.account(), p.queueArns(), p.jobRoleArn())
                .applyValue(t -> batchPolicy(t.t1, p.namePrefix(), t.t2, t.t3, p.logGroupName(), p.fairShare()));
        var partition = p.account().applyValue(AwsAccount::partition);
        if (p.rules().headJobRoleArn().isPresent()) {
            var arn = p.rules().headJobRoleArn().get();
            var inline = new java.util.LinkedHashMap<String, Output<String>>();
            inline.put(BATCH_POLICY, policy);
            inline.putAll(BatchIam.dataAccess(p.data(), partition));
            return new HeadJob(Output.of(arn), Output.of(StackRoles.nameOf(arn)), java.util.Optional.of(
                    new BroughtRole("headJobRole", Output.of(arn), trust, List.of(), inline)));
        }
        var options = CustomResourceOptions.builder().parent(p.parent()).protect(p.protect()).build();
        var role = StackRoles.create(p.name(), RoleArgs.builder()
                .description("Genomics Batch head jobs: run a workflow engine that submits this environment's jobs")
                .assumeRolePolicy(trust)
                .tags(p.tags()), p.rules(), options);
        new RolePolicy(p.name() + "-" + BATCH_POLICY, RolePolicyArgs.builder()
                .role(role.id())
                .policy(policy)
                .build(), CustomResourceOptions.builder().parent(p.parent()).build());
        BatchIam.attachDataAccess(p.name(), role, p.data(), partition, p.parent());
        return new HeadJob(role.arn(), role.name(), java.util.Optional.empty());
    }

    static String batchPolicy(AwsAccount a, String namePrefix, List<String> queueArns, String jobRoleArn,
                              String logGroupName, boolean fairShare) {
        return PolicyDocuments.document(workflowStatements(a, namePrefix, queueArns, logGroupName,
                PolicyDocuments.allow("PassTheJobRoleOnly", List.of("iam:PassRole"),
                        List.of(PolicyDocuments.literal(jobRoleArn))), fairShare));
    }

    /**
     * What running workflows in this environment takes, for the head-job role and the submitter policy
     * alike: submit to its queues with the engines' job definitions, manage those definitions and the
     * jobs, follow them, read their logs, and pass the given roles ({@code passRoles}). With a fair-share
     * queue ({@code fairShare}), jobs only without a share identifier: AWS checks {@code batch:ShareIdentifier}
     * when it authorizes the job resource (not the queue), so a share's identifier is granted on jobs by that
     * share's policy alone.
     */
    static List<Map<String, Object>> workflowStatements(AwsAccount a, String namePrefix, List<String> queueArns,
                                                        String logGroupName, Map<String, Object> passRoles,
                                                        boolean fairShare) {
        var batch = "arn:" + a.partition() + ":batch:" + a.region() + ":" + a.accountId() + ":";
        var definitions = jobDefinitionPrefixes(namePrefix).stream().map(px -> batch + "job-definition/" + px + "*")
                .toList();
        var jobs = batch + "job/*";
        var submitResources = new ArrayList<String>(queueArns);
        submitResources.addAll(definitions);
        if (!fairShare) {
            submitResources.add(jobs);
        }
        var tagResources = new ArrayList<String>(definitions);
        tagResources.add(jobs);
        var logGroup = "arn:" + a.partition() + ":logs:" + a.region() + ":" + a.accountId() + ":log-group:"
                + logGroupName;
        var statements = new ArrayList<Map<String, Object>>();
        statements.add(PolicyDocuments.allow("SubmitToThisEnvironmentsQueues", SUBMIT_ACTIONS, submitResources));
        if (fairShare) {
            var unshared = PolicyDocuments.allow("SubmitJobsWithoutAShareIdentifier", SUBMIT_ACTIONS, List.of(jobs));
            unshared.put("Condition", Map.of("Null", Map.of(ShareSubmitterPolicies.CONDITION_KEY, "true")));
            statements.add(unshared);
        }
        statements.addAll(List.of(
                PolicyDocuments.allow("ManageEngineJobDefinitions", JOB_DEFINITION_ACTIONS, definitions),
                // Batch has no condition key for tagging only at creation, so tags are scoped like the rest.
                PolicyDocuments.allow("ManageJobs", JOB_ACTIONS, tagResources),
                PolicyDocuments.allow("FollowJobs", DESCRIBE_ACTIONS, List.of("*")),
                // ":*" covers the group's streams and the group ARN as DescribeLogStreams is authorized.
                PolicyDocuments.allow("ReadJobLogs", LOG_ACTIONS, List.of(logGroup, logGroup + ":*")),
                passRoles));
        return statements;
    }
}
