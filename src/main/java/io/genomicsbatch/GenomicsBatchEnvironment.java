package io.genomicsbatch;

import com.pulumi.context.LoggingContext;
import com.pulumi.aws.batch.ComputeEnvironment;
import com.pulumi.aws.ec2.LaunchTemplate;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.alerts.AlertRule;
import io.genomicsbatch.alerts.EnvironmentAlerts;
import io.genomicsbatch.budget.EnvironmentBudget;
import io.genomicsbatch.compute.ComputeEnvironments;
import io.genomicsbatch.compute.HostLaunchTemplate;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.FileSystemType;
import io.genomicsbatch.config.ImageType;
import io.genomicsbatch.config.InvalidConfigException;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.config.SettingsValidator;
import io.genomicsbatch.iam.BatchIam;
import io.genomicsbatch.iam.HostStorageGrowth;
import io.genomicsbatch.network.HostSecurityGroup;
import io.genomicsbatch.network.S3GatewayEndpoint;
import io.genomicsbatch.engines.EngineConfigs;
import io.genomicsbatch.filesystem.SharedFileSystems;
import io.genomicsbatch.engines.EngineInputs;
import io.genomicsbatch.iam.AwsAccount;
import io.genomicsbatch.iam.HeadJobRole;
import io.genomicsbatch.iam.InlinePolicyBudget;
import io.genomicsbatch.iam.SubmitterPolicy;
import io.genomicsbatch.logs.JobLogGroup;
import io.genomicsbatch.config.Lineup;
import com.pulumi.resources.Resource;
import io.genomicsbatch.network.Network;
import io.genomicsbatch.queues.JobQueues;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A complete AWS Batch environment for genomics workflows: network lookup, host security group,
 * a launch template per AMI family, IAM, the compute environments and the ordered job queues of
 * its settings, all children of this component. Reusable from other Pulumi Java programs with
 * typed args; it checks its settings (once) and logs their warnings itself.
 */
public final class GenomicsBatchEnvironment extends ComponentResource {

    public static final String TYPE = "genomics-batch:index:BatchEnvironment";

    /**
     * @param namePrefix prefix of the AWS names (queues, compute environments): letters, digits,
     *                   '-' and '_', at most {@value #MAX_NAME_PREFIX} characters
     * @param settings   validated when the component is constructed
     * @param tags       the program's own tags ({@link io.genomicsbatch.config.ResourceTags#own}): on every
     *                   taggable resource, and the only tags in the compute environments' computeResources
     *                   (a change there replaces or rebuilds them); the settings' tags go everywhere else
     * @param log        where the settings' warnings go ({@code ctx.log()}); empty: not logged
     */
    public record Args(String namePrefix, Settings.Environment settings, Map<String, String> tags,
                       Optional<LoggingContext> log) {
        public static final int MAX_NAME_PREFIX = 64;
        private static final Pattern NAME_PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0," + (MAX_NAME_PREFIX - 1) + "}");

        public Args {
            if (!NAME_PREFIX.matcher(namePrefix).matches()) {
                throw new IllegalArgumentException("namePrefix \"" + namePrefix + "\": expected 1-" + MAX_NAME_PREFIX
                        + " letters, digits, '-' or '_', starting with a letter or digit");
            }
            tags = Map.copyOf(tags);
        }

        public Args(String namePrefix, Settings.Environment settings, Map<String, String> tags) {
            this(namePrefix, settings, tags, Optional.empty());
        }
    }

    private final Map<String, Output<?>> outputs;

    public GenomicsBatchEnvironment(String name, Args args) {
        this(name, args, ComponentResourceOptions.Empty);
    }

    public GenomicsBatchEnvironment(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, checked(args, options));
        var settings = args.settings();
        // The stack's tags join the program's own on every resource, but never in computeResources.tags.
        var ownTags = new TreeMap<>(args.tags());
        var tags = new TreeMap<>(args.tags());
        tags.putAll(settings.tags());
        args.log().ifPresent(log -> SettingsValidator.warnings(settings).forEach(w -> log.warn(w)));
        var values = new LinkedHashMap<String, Output<?>>();

        var network = Network.lookUp(settings.network(), this);
        // The shared file system (none by default): its group before the hosts' group, which reaches it.
        var fileSystem = settings.sharedFileSystem();
        var fileSystemProps = new SharedFileSystems.Props(name + "-shared-fs", fileSystem, network.vpcId(),
                settings.network().subnetIds(), fileSystem.enabled() && !fileSystem.created()
                ? Optional.of(AwsAccount.lookUp(this)) : Optional.empty(), tags, settings.protect(), this);
        var fileSystemGroup = SharedFileSystems.securityGroup(fileSystemProps);
        var securityGroup = HostSecurityGroup.create(new HostSecurityGroup.Props(name + "-host-security-group",
                network.vpcId(), settings.network(), tags, fileSystemGroup.map(g -> new HostSecurityGroup.FileSystemPeer(
                fileSystem.type().orElseThrow(), g.id())), this));
        var sharedFileSystem = Optional.of(fileSystem).filter(Settings.SharedFileSystem::enabled)
                .map(fs -> SharedFileSystems.create(fileSystemProps, fileSystemGroup, securityGroup.id()));
        if (settings.network().s3GatewayEndpoint()) {
            S3GatewayEndpoint.create(new S3GatewayEndpoint.Props(name + "-s3-gateway-endpoint", network.vpcId(),
                    network.subnetIds(), tags, this));
        }
        var launchTemplates = new EnumMap<ImageType, LaunchTemplate>(ImageType.class);
        for (var ce : settings.computeEnvironments()) {
            launchTemplates.computeIfAbsent(ce.imageType(), image -> HostLaunchTemplate.create(
                    new HostLaunchTemplate.Props(launchTemplateName(name, image), image, settings.storage(),
                            settings.hosts(), args.namePrefix(), tags,
                            sharedFileSystem.map(SharedFileSystems.Built::hostMount), this)));
        }
        var account = AwsAccount.lookUp(this);
        var iam = BatchIam.create(new BatchIam.Props(name, account, settings.data(),
                settings.computeEnvironments().stream().anyMatch(Settings.ComputeEnvironmentSpec::needsSpotFleetRole),
                settings.protect(), tags, this));
        // Hosts grow their data storage with volumes tagged for this environment only.
        var storageGrowth = HostStorageGrowth.create(new HostStorageGrowth.Props(name + "-instance-role-storage-growth",
                account, iam.instanceRole(), UserData.TAG_KEY, args.namePrefix(), List.copyOf(tags.keySet()),
                settings.storage().maxGiB(), this));
        var hostPolicies = new ArrayList<Resource>(iam.attachments());
        hostPolicies.add(storageGrowth);

        // FSx for Lustre lives in one subnet (the first listed): its hosts stay in that subnet's zone.
        var hostSubnets = fileSystem.created() && fileSystem.is(FileSystemType.FSX_LUSTRE)
                ? network.subnetIds().applyValue(ids -> List.of(ids.get(0))) : network.subnetIds();
        var environments = new LinkedHashMap<String, ComputeEnvironment>();
        for (var spec : settings.computeEnvironments()) {
            var ce = ComputeEnvironments.create(new ComputeEnvironments.Props(name + "-" + spec.name(),
                    args.namePrefix() + "-" + spec.name() + "-", spec, hostSubnets, securityGroup.id(),
                    iam.instanceProfile().arn(), launchTemplates.get(spec.imageType()), iam.spotFleetRole(),
                    hostPolicies, tags, ownTags, settings.protect(), this));
            environments.put(spec.name(), ce);
            values.put(EnvironmentOutputs.computeEnvironmentArn(spec.name()), ce.arn());
        }
        var queueArns = new java.util.ArrayList<Output<String>>();
        var queues = new LinkedHashMap<String, com.pulumi.aws.batch.JobQueue>();
        for (var spec : settings.queues()) {
            var logical = queueLogicalName(name, spec, environments.keySet());
            var queue = JobQueues.create(new JobQueues.Props(logical.name(), logical.aliases(),
                    JobQueues.queueName(args.namePrefix(), spec), spec,
                    spec.computeEnvironments().stream().map(environments::get).toList(),
                    settings.runnableTimeoutMinutes(), tags, settings.protect(), this));
            values.put(EnvironmentOutputs.queueArn(spec.name()), queue.arn());
            values.put(EnvironmentOutputs.queueName(spec.name()), queue.name());
            queueArns.add(queue.arn());
            queues.put(spec.name(), queue);
        }

        var logGroupName = JobLogGroup.groupName(args.namePrefix());
        var logGroup = JobLogGroup.create(new JobLogGroup.Props(name + "-job-logs", logGroupName,
                settings.logRetentionDays(), settings.protect(), tags, this));
        var headJobRole = HeadJobRole.create(new HeadJobRole.Props(name + "-head-job-role", args.namePrefix(),
                settings.data(), account, Output.all(queueArns), iam.jobRole().arn(), logGroupName,
                settings.protect(), tags, this));
        var submitterPolicy = SubmitterPolicy.create(new SubmitterPolicy.Props(name + "-submitter-policy",
                args.namePrefix(), settings.data(), account, Output.all(queueArns),
                Output.all(iam.jobRole().arn(), headJobRole.arn()), logGroupName, settings.protect(), tags, this));

        // Alerts and the boot-loop stop: only what the settings ask for (nothing by default).
        var headJobQueue = queues.get(Lineup.HEAD_JOB_QUEUE);
        var taskQueues = queues.entrySet().stream().filter(e -> !e.getKey().equals(Lineup.HEAD_JOB_QUEUE))
                .map(e -> e.getValue().arn()).toList();
        var alertQueues = Output.tuple(headJobQueue.arn(), Output.all(taskQueues))
                .applyValue(t -> new AlertRule.Queues(t.t1, t.t2));
        var environmentArns = Output.all(environments.values().stream().map(ComputeEnvironment::arn).toList())
                .applyValue(arns -> {
                    var byName = new LinkedHashMap<String, String>();
                    var names = List.copyOf(environments.keySet());
                    for (var i = 0; i < arns.size(); i++) {
                        byName.put(names.get(i), arns.get(i));
                    }
                    return (Map<String, String>) byName;
                });
        var topic = EnvironmentAlerts.create(new EnvironmentAlerts.Props(name, args.namePrefix(), settings.alerts(),
                alertQueues, environmentArns, args.namePrefix(), account, tags, settings.protect(), this));
        topic.ifPresent(t -> values.put("alertTopicArn", t));
        // The budget counts what carries the environment tag: the hosts and their volumes.
        if (settings.budget().enabled()) {
            EnvironmentBudget.create(new EnvironmentBudget.Props(name + "-budget", args.namePrefix(), settings.budget(),
                    Map.entry(UserData.TAG_KEY, args.namePrefix()), Output.all(queueArns), headJobRole.name(),
                    topic.orElseThrow(), account, tags, settings.protect(), this));
        }

        values.put("jobRoleArn", iam.jobRole().arn());
        values.put("headJobRoleArn", headJobRole.arn());
        values.put("submitterPolicyArn", submitterPolicy.arn());
        values.put("instanceRoleArn", iam.instanceRole().arn());
        values.put("instanceProfileArn", iam.instanceProfile().arn());
        values.put("launchTemplateId", launchTemplates.get(ImageType.ECS_AL2023).id());
        Optional.ofNullable(launchTemplates.get(ImageType.ECS_AL2023_NVIDIA))
                .ifPresent(lt -> values.put("gpuLaunchTemplateId", lt.id()));
        values.put("securityGroupId", securityGroup.id());
        values.put("vpcId", network.vpcId());
        values.put("subnetIds", network.subnetIds());
        values.put("jobLogGroupName", logGroup.name());
        sharedFileSystem.ifPresent(fs -> {
            values.put("sharedFileSystemId", fs.fileSystemId());
            values.put("sharedFileSystemMountPath", Output.of(fileSystem.mountPath()));
        });
        settings.data().workDirectory().ifPresent(w -> values.put("workDirectory", Output.of(w.uri())));
        var engineConfigs = engineInputs(args.namePrefix(), settings, account, queues, iam.jobRole().arn(),
                logGroup.name()).applyValue(EngineConfigs::byOutputName);
        for (var output : EngineConfigs.OUTPUT_NAMES) {
            values.put(output, engineConfigs.applyValue(configs -> configs.get(output)));
        }
        outputs = EnvironmentOutputs.ordered(values);
        registerOutputs(outputs);
    }

    /** The outputs by their stack output names, in the order of {@link EnvironmentOutputs#CONTRACT}. */
    public Map<String, Output<?>> outputs() {
        return outputs;
    }

    /**
     * What the engine configs are built from: the real queue names and ARNs (the GPU queue's too, when
     * there is one), roles and log group, and the configured work directory (never one the user did not
     * name: without it, a placeholder).
     */
    private static Output<EngineInputs> engineInputs(String namePrefix, Settings.Environment settings,
                                                     Output<AwsAccount> account,
                                                     Map<String, com.pulumi.aws.batch.JobQueue> queues,
                                                     Output<String> jobRoleArn, Output<String> logGroupName) {
        var defaultQueue = queues.get(Lineup.DEFAULT_QUEUE);
        var highPriority = queues.get(Lineup.HIGH_PRIORITY_QUEUE);
        var headJob = queues.get(Lineup.HEAD_JOB_QUEUE);
        var workDir = settings.data().workDirectory().map(Settings.WorkDirectory::uri);
        var values = new java.util.ArrayList<>(java.util.List.of(account.applyValue(AwsAccount::region),
                defaultQueue.name(), defaultQueue.arn(), highPriority.name(), highPriority.arn(), headJob.name(),
                headJob.arn(), jobRoleArn, logGroupName));
        // With a GPU queue, each engine config routes GPU work to it (the last value).
        var gpu = Optional.ofNullable(queues.get(Lineup.GPU_QUEUE));
        gpu.ifPresent(q -> values.add(q.arn()));
        return Output.all(values)
                .applyValue(v -> {
                    var in = EngineInputs.of(namePrefix, v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5),
                            v.get(6), v.get(7), v.get(8));
                    in = gpu.isPresent() ? in.withGpuQueue(v.get(9)) : in;
                    in = in.withTags(settings.tags());
                    in = settings.sharedFileSystem().enabled()
                            ? in.withSharedMountPath(settings.sharedFileSystem().mountPath()) : in;
                    return workDir.map(in::withWorkDir).orElse(in);
                });
    }

    /** A logical name and the earlier ones it keeps as Pulumi aliases. */
    record LogicalName(String name, List<String> aliases) {
    }

    /**
     * A queue's logical name: "&lt;name&gt;-&lt;queue&gt;", or "&lt;name&gt;-&lt;queue&gt;-queue" where a compute
     * environment already has the first (the GPU queue and the GPU environment are both "gpu"), so
     * that no two resources share a logical name: the plan's references and its graph name each
     * resource once. The GPU queue had the shared name before; kept as its alias, it lets
     * {@code pulumi up} rename the queue in an existing stack's state instead of replacing it.
     */
    static LogicalName queueLogicalName(String name, Settings.QueueSpec spec, Set<String> environmentNames) {
        var plain = name + "-" + spec.name();
        return environmentNames.contains(spec.name()) ? new LogicalName(plain + "-queue", List.of(plain))
                : new LogicalName(plain, List.of());
    }

    /** The template of CPU hosts keeps its original name; other AMI families get their own. */
    static String launchTemplateName(String name, ImageType image) {
        return name + (image.gpu() ? "-gpu" : "") + "-host-launch-template";
    }

    /** Everything the component refuses in its args, each naming the stack-config key. */
    public static java.util.List<io.genomicsbatch.config.ConfigProblem> problems(Args args) {
        var problems = new java.util.ArrayList<>(SettingsValidator.problems(args.settings()));
        // The policy sizes are judged on values that are valid: a refused name says nothing of the real size.
        var refused = problems.stream().flatMap(p -> p.keys().stream()).collect(java.util.stream.Collectors.toSet());
        java.util.stream.Stream.of(InlinePolicyBudget.check(args.namePrefix(), args.settings()),
                        SubmitterPolicy.check(args.namePrefix(), args.settings()),
                        EnvironmentBudget.check(args.namePrefix(), args.settings()))
                .flatMap(java.util.Optional::stream)
                .filter(p -> p.keys().stream().noneMatch(refused::contains))
                .forEach(problems::add);
        return problems;
    }

    /** Settings are checked here, once, before anything is registered (the component included). */
    private static ComponentResourceOptions checked(Args args, ComponentResourceOptions options) {
        var problems = problems(args);
        if (!problems.isEmpty()) {
            // Constructed inside a deployment: the message can name the stack's own file.
            throw new InvalidConfigException(com.pulumi.deployment.Deployment.getInstance().getStackName(), problems);
        }
        return options;
    }
}
