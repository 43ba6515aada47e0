package io.genomicsbatch.engines;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the workflow engine configs are built from: the environment's real names and ARNs (plain
 * strings; the program applies {@link EngineConfigs} to its outputs once they are known) and the
 * facts of the hosts the engines must agree with.
 *
 * @param environment          a label for the generated files' headers, e.g. {@code genomics-batch-dev}
 * @param region               the AWS region of the queues
 * @param defaultQueueName     the default (Spot first) queue
 * @param defaultQueueArn      its ARN
 * @param highPriorityQueueName the high-priority (On-Demand first) queue
 * @param highPriorityQueueArn its ARN
 * @param headJobQueueName     the On-Demand-only queue for an engine run as a Batch job
 * @param headJobQueueArn      its ARN
 * @param jobRoleArn           the role tasks run as
 * @param logGroupName         the CloudWatch log group of the environment's jobs
 * @param awsCliPath           the self-contained AWS CLI v2 on the hosts (absolute, ends in {@code /bin/aws})
 * @param scratchHostPath      the hosts' data storage, where task scratch must land (absolute)
 * @param maxSpotAttempts      Nextflow: attempts per job while Spot reclaims end it (0-10; 0: no retry)
 * @param workDir              an S3 prefix for the engines' work files ({@code s3://bucket/prefix}); empty: the
 *                             user sets it (the configs say where)
 * @param gpuQueueArn          the GPU queue, when the environment has one; empty: no GPU routing in the configs
 * @param tags                 the stack's tags, which the configs put on every job (with the run's labels)
 * @param privateNetworking    the hosts have no internet: the configs leave out what needs it (Fusion, Wave)
 * @param spotRetries          Spot retries in every engine and Nextflow's move to On-Demand; {@link SpotRetries#NONE}:
 *                             none beyond Nextflow's {@code maxSpotAttempts}
 * @param containerRegistry    where Nextflow takes images named without a registry from ({@code docker.registry}):
 *                             a pull-through cache, {@code HOST/PREFIX}; empty: Nextflow's default
 * @param group                the group whose queue {@code defaultQueue*} is, for a group's configs: they then
 *                             describe that queue and have no high-priority queue; empty: the environment's
 * @param sharedMountPath      where every host mounts the shared file system, which the configs mount into every
 *                             task at the same path; empty: none
 */
public record EngineInputs(String environment, String region,
                           String defaultQueueName, String defaultQueueArn,
                           String highPriorityQueueName, String highPriorityQueueArn,
                           String headJobQueueName, String headJobQueueArn,
                           String jobRoleArn, String logGroupName,
                           String awsCliPath, String scratchHostPath, int maxSpotAttempts,
                           Optional<String> workDir, Optional<String> gpuQueueArn, Map<String, String> tags,
                           boolean privateNetworking, SpotRetries spotRetries,
                           Optional<String> containerRegistry, Optional<Group> group,
                           Optional<String> sharedMountPath) {

    /**
     * A group's queue, as its configs describe it.
     *
     * @param name     the group's name
     * @param capacity "Spot" or "On-Demand": the hosts of the group's compute environment
     * @param maxVcpus the group's cap
     */
    public record Group(String name, String capacity, int maxVcpus) {
    }

    /**
     * The hosts' AWS CLI v2 for Nextflow's {@code aws.batch.cliPath}: Nextflow mounts the CLI's
     * grandparent, here the whole {@code /usr/local/aws-cli} installation, so its links resolve in
     * any task image (Cromwell mounts the same directory itself).
     */
    public static final String HOST_AWS_CLI = "/usr/local/aws-cli/bin/aws";
    /**
     * The part of the hosts' data storage that tasks share as their /tmp: the hosts empty it only when
     * no job runs (per-job work goes in /scratch/$AWS_BATCH_JOB_ID).
     */
    public static final String HOST_SCRATCH = "/scratch/tasks";
    /**
     * Spot retries: Nextflow's default before 24.10, and AWS Batch's retry strategy allows up to 10
     * attempts. A reclaimed task restarts from scratch, so a few retries are cheap insurance.
     */
    public static final int DEFAULT_MAX_SPOT_ATTEMPTS = 5;
    public static final int MAX_SPOT_ATTEMPTS_LIMIT = 10;

    /**
     * s3://, a bucket and an optional prefix: the shape only. The stack config judges bucket names (legacy
     * us-east-1 names with capitals and underscores included), so whatever it accepts passes here.
     */
    private static final Pattern S3_PREFIX = Pattern.compile("s3://[^/\\s]+(/.*)?");

    public EngineInputs {
        for (var field : new String[][]{{"environment", environment}, {"region", region},
                {"defaultQueueName", defaultQueueName}, {"defaultQueueArn", defaultQueueArn},
                {"highPriorityQueueName", highPriorityQueueName}, {"highPriorityQueueArn", highPriorityQueueArn},
                {"headJobQueueName", headJobQueueName}, {"headJobQueueArn", headJobQueueArn},
                {"jobRoleArn", jobRoleArn}, {"logGroupName", logGroupName},
                {"awsCliPath", awsCliPath}, {"scratchHostPath", scratchHostPath}}) {
            if (field[1] == null || field[1].isBlank()) {
                throw new IllegalArgumentException(field[0] + ": must not be empty");
            }
        }
        // Nextflow refuses any other CLI path ("it must end with the `/bin/aws` suffix").
        if (!awsCliPath.startsWith("/") || !awsCliPath.endsWith("/bin/aws")) {
            throw new IllegalArgumentException("awsCliPath \"" + awsCliPath
                    + "\": expected an absolute path ending in /bin/aws");
        }
        if (!scratchHostPath.startsWith("/") || scratchHostPath.contains(":")) {
            throw new IllegalArgumentException("scratchHostPath \"" + scratchHostPath
                    + "\": expected an absolute path without ':'");
        }
        if (maxSpotAttempts < 0 || maxSpotAttempts > MAX_SPOT_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException("maxSpotAttempts " + maxSpotAttempts + ": expected 0-"
                    + MAX_SPOT_ATTEMPTS_LIMIT);
        }
        spotRetries = spotRetries == null ? SpotRetries.NONE : spotRetries;
        if (spotRetries.attempts() < 0 || spotRetries.attempts() > SpotRetries.MAX_ATTEMPTS) {
            throw new IllegalArgumentException("spotRetries.attempts " + spotRetries.attempts() + ": expected 0-"
                    + SpotRetries.MAX_ATTEMPTS);
        }
        gpuQueueArn = gpuQueueArn == null ? Optional.empty() : gpuQueueArn;
        group = group == null ? Optional.empty() : group;
        sharedMountPath = sharedMountPath == null ? Optional.empty() : sharedMountPath;
        sharedMountPath.filter(path -> !path.matches("(/[A-Za-z0-9._-]+)+")).ifPresent(path -> {
            throw new IllegalArgumentException("sharedMountPath \"" + path + "\": expected an absolute path");
        });
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        containerRegistry = containerRegistry == null ? Optional.empty() : containerRegistry;
        containerRegistry.filter(r -> r.isBlank() || r.contains("://")).ifPresent(bad -> {
            // Nextflow prepends it to image names as it is.
            throw new IllegalArgumentException("containerRegistry \"" + bad + "\": expected HOST[/PREFIX], no scheme");
        });
        gpuQueueArn.filter(String::isBlank).ifPresent(blank -> {
            throw new IllegalArgumentException("gpuQueueArn: must not be empty");
        });
        workDir = workDir == null ? Optional.empty() : workDir.map(EngineInputs::trimSlash);
        workDir.ifPresent(w -> {
            if (!S3_PREFIX.matcher(w).matches()) {
                throw new IllegalArgumentException("workDir \"" + w + "\": expected s3://BUCKET or s3://BUCKET/PREFIX");
            }
        });
    }

    /** The inputs with the hosts' CLI path, scratch path and {@value #DEFAULT_MAX_SPOT_ATTEMPTS} Spot attempts. */
    public static EngineInputs of(String environment, String region,
                                  String defaultQueueName, String defaultQueueArn,
                                  String highPriorityQueueName, String highPriorityQueueArn,
                                  String headJobQueueName, String headJobQueueArn,
                                  String jobRoleArn, String logGroupName) {
        return new EngineInputs(environment, region, defaultQueueName, defaultQueueArn, highPriorityQueueName,
                highPriorityQueueArn, headJobQueueName, headJobQueueArn, jobRoleArn, logGroupName, HOST_AWS_CLI,
                HOST_SCRATCH, DEFAULT_MAX_SPOT_ATTEMPTS, Optional.empty(), Optional.empty(), Map.of(), false,
                SpotRetries.NONE, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The inputs with other host paths (the hosts' AWS CLI, their shared scratch). */
    public EngineInputs withHostPaths(String cliPath, String scratchPath) {
        return copy(b -> {
            b.awsCliPath = cliPath;
            b.scratchHostPath = scratchPath;
        });
    }

    public EngineInputs withWorkDir(String s3Prefix) {
        return copy(b -> b.workDir = Optional.of(s3Prefix));
    }

    public EngineInputs withMaxSpotAttempts(int attempts) {
        return copy(b -> b.maxSpotAttempts = attempts);
    }

    /** The inputs with the environment's GPU queue, which the configs then route GPU work to. */
    public EngineInputs withGpuQueue(String arn) {
        return copy(b -> b.gpuQueueArn = Optional.of(arn));
    }

    /** The inputs with the stack's tags, which every engine config puts on its jobs. */
    public EngineInputs withTags(Map<String, String> stackTags) {
        return copy(b -> b.tags = stackTags);
    }

    /** The inputs with a registry (cache) that Nextflow takes images named without a registry from. */
    public EngineInputs withContainerRegistry(String registry) {
        return copy(b -> b.containerRegistry = Optional.of(registry));
    }

    /** The inputs of a group's configs: its queue is {@code defaultQueue*} (and the high-priority one). */
    public EngineInputs withGroup(Group g) {
        return copy(b -> b.group = Optional.of(g));
    }

    /** The inputs with the shared file system's mount path, which every engine config mounts into its tasks. */
    public EngineInputs withSharedMountPath(String path) {
        return copy(b -> b.sharedMountPath = Optional.of(path));
    }

    /** The inputs for hosts without internet (privateNetworking). */
    public EngineInputs withPrivateNetworking() {
        return copy(b -> b.privateNetworking = true);
    }

    /** The inputs with Spot retries in every engine config (and Nextflow's move to On-Demand, when asked). */
    public EngineInputs withSpotRetries(SpotRetries retries) {
        return copy(b -> b.spotRetries = retries);
    }

    /** Nextflow's {@code aws.batch.maxSpotAttempts}: the every-engine attempts when set, else {@link #maxSpotAttempts}. */
    public int nextflowSpotAttempts() {
        return spotRetries.everyEngine() ? spotRetries.attempts() : maxSpotAttempts;
    }

    /** These inputs with some fields changed: each with* method is one change, checked as a whole. */
    private EngineInputs copy(java.util.function.Consumer<Fields> change) {
        var f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /** The record's fields, mutable while one copy is made; a new field is one line here and in build(). */
    private static final class Fields {
        String environment;
        String region;
        String defaultQueueName;
        String defaultQueueArn;
        String highPriorityQueueName;
        String highPriorityQueueArn;
        String headJobQueueName;
        String headJobQueueArn;
        String jobRoleArn;
        String logGroupName;
        String awsCliPath;
        String scratchHostPath;
        int maxSpotAttempts;
        Optional<String> workDir;
        Optional<String> gpuQueueArn;
        Map<String, String> tags;
        boolean privateNetworking;
        SpotRetries spotRetries;
        Optional<String> containerRegistry;
        Optional<Group> group;
        Optional<String> sharedMountPath;

        Fields(EngineInputs in) {
            environment = in.environment;
            region = in.region;
            defaultQueueName = in.defaultQueueName;
            defaultQueueArn = in.defaultQueueArn;
            highPriorityQueueName = in.highPriorityQueueName;
            highPriorityQueueArn = in.highPriorityQueueArn;
            headJobQueueName = in.headJobQueueName;
            headJobQueueArn = in.headJobQueueArn;
            jobRoleArn = in.jobRoleArn;
            logGroupName = in.logGroupName;
            awsCliPath = in.awsCliPath;
            scratchHostPath = in.scratchHostPath;
            maxSpotAttempts = in.maxSpotAttempts;
            workDir = in.workDir;
            gpuQueueArn = in.gpuQueueArn;
            tags = in.tags;
            privateNetworking = in.privateNetworking;
            spotRetries = in.spotRetries;
            containerRegistry = in.containerRegistry;
            group = in.group;
            sharedMountPath = in.sharedMountPath;
        }

        EngineInputs build() {
            return new EngineInputs(environment, region, defaultQueueName, defaultQueueArn, highPriorityQueueName,
                    highPriorityQueueArn, headJobQueueName, headJobQueueArn, jobRoleArn, logGroupName, awsCliPath,
                    scratchHostPath, maxSpotAttempts, workDir, gpuQueueArn, tags, privateNetworking, spotRetries,
                    containerRegistry, group, sharedMountPath);
        }
    }

    private static String trimSlash(String s) {
        var out = s.trim();
        while (out.endsWith("/") && !out.endsWith("://")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
