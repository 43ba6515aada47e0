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
import io.genomicsbatch.compute.PinnedAmis;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.CacheUpstream;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.FileSystemType;
import io.genomicsbatch.config.ImageType;
import io.genomicsbatch.config.InvalidConfigException;
import io.genomicsbatch.config.ResourceTags;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.config.SettingsValidator;
import io.genomicsbatch.iam.BatchIam;
import io.genomicsbatch.iam.BroughtRole;
import io.genomicsbatch.iam.HostStorageGrowth;
import io.genomicsbatch.network.HostSecurityGroup;
import io.genomicsbatch.network.PrivateEndpoints;
import io.genomicsbatch.network.S3GatewayEndpoint;
import io.genomicsbatch.engines.EngineConfigs;
import io.genomicsbatch.engines.FairShareQueue;
import io.genomicsbatch.iam.ShareSubmitterPolicies;
import io.genomicsbatch.queues.FairSharePolicy;
import com.pulumi.aws.batch.SchedulingPolicy;
import io.genomicsbatch.filesystem.SharedFileSystems;
import io.genomicsbatch.engines.EngineInputs;
import io.genomicsbatch.iam.AwsAccount;
import io.genomicsbatch.iam.HeadJobRole;
import io.genomicsbatch.iam.InlinePolicyBudget;
import io.genomicsbatch.iam.SubmitterPolicy;
import io.genomicsbatch.logs.JobLogGroup;
import io.genomicsbatch.config.Lineup;
import io.genomicsbatch.network.Network;
import io.genomicsbatch.registry.PullThroughCache;
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
        var privateNetworking = settings.privateNetworking().enabled();
        // Hosts without internet reach S3 through the gateway endpoint: the same resource either way.
        if (settings.network().s3GatewayEndpoint() || privateNetworking) {
            S3GatewayEndpoint.create(new S3GatewayEndpoint.Props(name + "-s3-gateway-endpoint", network.vpcId(),
                    network.subnetIds(), tags, this));
        }
        if (privateNetworking) {
            var subnets = PrivateEndpoints.lookUp(network.subnetIds(), this).applyValue(found -> {
                args.log().ifPresent(log -> PrivateEndpoints.publicSubnetWarnings(found).forEach(log::warn));
                return found;
            });
            PrivateEndpoints.create(new PrivateEndpoints.Props(name, network.vpcId(), subnets, securityGroup.id(),
                    tags, this));
        }
        var groups = settings.groups();
        var launchTemplates = new EnumMap<ImageType, LaunchTemplate>(ImageType.class);
        for (var ce : settings.computeEnvironments()) {
            if (groups.bySpecName(ce.name()).isEmpty()) {
                launchTemplates.computeIfAbsent(ce.imageType(), image -> HostLaunchTemplate.create(
                        new HostLaunchTemplate.Props(launchTemplateName(name, image), image, settings.storage(),
                                settings.hosts(), args.namePrefix(), tags,
                                sharedFileSystem.map(SharedFileSystems.Built::hostMount), this)));
            }
        }
        // Each group's hosts get a template of their own, which tags its instances and volumes with the group:
        // its instance cost is exact by tag, and computeResources.tags (a change there replaces a CE) stay as they are.
        var groupTemplates = new LinkedHashMap<String, LaunchTemplate>();
        for (var g : groups.list()) {
            groupTemplates.put(g.specName(), HostLaunchTemplate.create(new HostLaunchTemplate.Props(
                    groupLogicalName(name, GroupResource.LAUNCH_TEMPLATE, g), ImageType.ECS_AL2023, settings.storage(),
                    settings.hosts(), args.namePrefix(), groupTags(tags, g),
                    sharedFileSystem.map(SharedFileSystems.Built::hostMount), this)));
        }
        var account = AwsAccount.lookUp(this);
        var iam = BatchIam.create(new BatchIam.Props(name, account, settings.data(),
                settings.computeEnvironments().stream().anyMatch(Settings.ComputeEnvironmentSpec::needsSpotFleetRole),
                settings.iam(), settings.protect(), tags, this));
        var brought = new ArrayList<BroughtRole>();
        // Hosts grow their data storage with volumes tagged for this environment only.
        // A grown volume copies its root volume's tags: a group host's carry the group tag too.
        var volumeTagKeys = new ArrayList<>(tags.keySet());
        if (groups.enabled()) {
            volumeTagKeys.add(ResourceTags.GROUP_TAG);
        }
        var storageGrowth = new HostStorageGrowth.Props(name + "-instance-role-storage-growth", account,
                UserData.TAG_KEY, args.namePrefix(), volumeTagKeys, settings.storage().maxGiB(), this);
        var hostPolicies = new ArrayList<Resource>(iam.attachments());
        iam.instanceRole().ifPresent(role -> hostPolicies.add(HostStorageGrowth.create(storageGrowth, role)));
        // The registry cache (ecrPullThroughCache): nothing by default.
        var registryCache = settings.registryCache().enabled()
                ? Optional.of(PullThroughCache.create(new PullThroughCache.Props(name, args.namePrefix(),
                        settings.registryCache(), account, iam.instanceRole(), settings.iam(), settings.protect(),
                        tags, this)))
                : Optional.<PullThroughCache.Built>empty();
        registryCache.flatMap(PullThroughCache.Built::hostPolicy).ifPresent(hostPolicies::add);
        for (var role : iam.brought()) {
            if (role.key().equals(BroughtRole.INSTANCE_ROLE)) {
                role = role.with(HostStorageGrowth.POLICY_NAME, HostStorageGrowth.document(storageGrowth));
                if (registryCache.isPresent()) {
                    role = role.with(PullThroughCache.HOST_POLICY_NAME, registryCache.get().hostDocument());
                }
            }
            brought.add(role);
        }

        // Pinned AMIs (off by default: then Batch picks the image, as before).
        var amis = PinnedAmis.resolve(settings, this);
        // FSx for Lustre lives in one subnet (the first listed): its hosts stay in that subnet's zone.
        var hostSubnets = fileSystem.created() && fileSystem.is(FileSystemType.FSX_LUSTRE)
                ? network.subnetIds().applyValue(ids -> List.of(ids.get(0))) : network.subnetIds();
        var environments = new LinkedHashMap<String, ComputeEnvironment>();
        for (var spec : settings.computeEnvironments()) {
            var group = groups.bySpecName(spec.name());
            var ce = ComputeEnvironments.create(new ComputeEnvironments.Props(
                    group.map(g -> groupLogicalName(name, GroupResource.COMPUTE_ENVIRONMENT, g))
                            .orElse(name + "-" + spec.name()),
                    args.namePrefix() + "-" + spec.name() + "-", spec, hostSubnets, securityGroup.id(),
                    iam.instanceProfileArn(), group.isPresent() ? groupTemplates.get(spec.name())
                    : launchTemplates.get(spec.imageType()), iam.spotFleetRole(),
                    hostPolicies, group.map(g -> groupTags(tags, g)).orElse(tags), ownTags, settings.protect(), this,
                    Optional.ofNullable(amis.get(spec.name()))));
            environments.put(spec.name(), ce);
            if (group.isEmpty()) {
                values.put(EnvironmentOutputs.computeEnvironmentArn(spec.name()), ce.arn());
            }
        }
        // Fair share (fairShare): a scheduling policy for the shared queue only; the other queues stay FIFO.
        var fairShare = Optional.of(settings.fairShare()).filter(Settings.FairShare::enabled)
                .map(f -> FairSharePolicy.create(new FairSharePolicy.Props(name + "-fair-share", args.namePrefix(),
                        f, tags, settings.protect(), this)));
        fairShare.ifPresent(policy -> values.put("fairSharePolicyArn", policy.arn()));
        var queueArns = new ArrayList<Output<String>>();
        // Every submitter's queues: not the fair-share queue, which only its shares' policies open.
        var submitQueueArns = new ArrayList<Output<String>>();
        var queues = new LinkedHashMap<String, com.pulumi.aws.batch.JobQueue>();
        for (var spec : settings.queues()) {
            var group = groups.bySpecName(spec.name());
            var logical = group.map(g -> new LogicalName(groupLogicalName(name, GroupResource.QUEUE, g), List.of()))
                    .orElseGet(() -> queueLogicalName(name, spec, environments.keySet()));
            var open = Lineup.openToEverySubmitter(spec);
            var queue = JobQueues.create(new JobQueues.Props(logical.name(), logical.aliases(),
                    JobQueues.queueName(args.namePrefix(), spec), spec,
                    spec.computeEnvironments().stream().map(environments::get).toList(),
                    settings.runnableTimeoutMinutes(), group.map(g -> groupTags(tags, g)).orElse(tags),
                    settings.protect(), this, open ? Optional.empty() : fairShare.map(SchedulingPolicy::arn)));
            if (group.isEmpty()) {
                values.put(EnvironmentOutputs.queueArn(spec.name()), queue.arn());
                values.put(EnvironmentOutputs.queueName(spec.name()), queue.name());
            }
            queueArns.add(queue.arn());
            if (open) {
                submitQueueArns.add(queue.arn());
            }
            queues.put(spec.name(), queue);
        }

        var logGroupName = JobLogGroup.groupName(args.namePrefix());
        var logGroup = JobLogGroup.create(new JobLogGroup.Props(name + "-job-logs", logGroupName,
                settings.logRetentionDays(), settings.protect(), tags, this));
        // A brought head-job role's policy is handed to people before the queues exist: AWS's ARN format names them.
        var headJobQueueArns = settings.iam().headJobRoleArn().isPresent()
                ? account.applyValue(a -> JobQueues.queueArns(a, args.namePrefix(), settings.queues().stream()
                        .filter(Lineup::openToEverySubmitter).toList()))
                : Output.all(submitQueueArns);
        var headJobRole = HeadJobRole.create(new HeadJobRole.Props(name + "-head-job-role", args.namePrefix(),
                settings.data(), account, headJobQueueArns, iam.jobRoleArn(), logGroupName, settings.iam(),
                settings.protect(), tags, this, fairShare.isPresent()));
        headJobRole.brought().ifPresent(brought::add);
        var submitterPolicy = SubmitterPolicy.create(new SubmitterPolicy.Props(name + "-submitter-policy",
                args.namePrefix(), settings.data(), account, Output.all(submitQueueArns),
                Output.all(iam.jobRoleArn(), headJobRole.arn()), logGroupName, settings.protect(), tags, this,
                fairShare.isPresent()));
        var sharedQueue = Optional.ofNullable(queues.get(Lineup.SHARED_QUEUE)).filter(q -> fairShare.isPresent());
        sharedQueue.ifPresent(queue -> values.put("shareSubmitterPolicyArns", shareSubmitterPolicyArns(
                ShareSubmitterPolicies.create(new ShareSubmitterPolicies.Props(name + "-share-submitter",
                        args.namePrefix(), settings.fairShare().shares(), queue.arn(), settings.protect(), tags,
                        this)))));

        // Alerts and the boot-loop stop: only what the settings ask for (nothing by default).
        var headJobQueue = queues.get(Lineup.HEAD_JOB_QUEUE);
        var taskQueues = queues.entrySet().stream().filter(e -> !e.getKey().equals(Lineup.HEAD_JOB_QUEUE))
                .map(e -> e.getValue().arn()).toList();
        var alertQueues = Output.tuple(headJobQueue.arn(), Output.all(taskQueues))
                .applyValue(t -> new AlertRule.Queues(t.t1, t.t2));
        var environmentArns = byKey(List.copyOf(environments.keySet()),
                environments.values().stream().map(ComputeEnvironment::arn).toList());
        var topic = EnvironmentAlerts.create(new EnvironmentAlerts.Props(name, args.namePrefix(), settings.alerts(),
                alertQueues, environmentArns, args.namePrefix(), account, settings.iam(), tags, settings.protect(),
                this));
        topic.ifPresent(t -> values.put("alertTopicArn", t));
        // The budget counts what carries the environment tag: the hosts and their volumes.
        if (settings.budget().enabled()) {
            EnvironmentBudget.create(new EnvironmentBudget.Props(name + "-budget", args.namePrefix(), settings.budget(),
                    Map.entry(UserData.TAG_KEY, args.namePrefix()), Output.all(queueArns), headJobRole.name(),
                    topic.orElseThrow(), account, settings.iam(), tags, settings.protect(), this));
        }

        values.put("jobRoleArn", iam.jobRoleArn());
        values.put("headJobRoleArn", headJobRole.arn());
        values.put("submitterPolicyArn", submitterPolicy.arn());
        values.put("instanceRoleArn", iam.instanceRoleArn());
        values.put("instanceProfileArn", iam.instanceProfileArn());
        values.put("launchTemplateId", launchTemplates.get(ImageType.ECS_AL2023).id());
        Optional.ofNullable(launchTemplates.get(ImageType.ECS_AL2023_NVIDIA))
                .ifPresent(lt -> values.put("gpuLaunchTemplateId", lt.id()));
        values.putAll(PinnedAmis.outputs(settings, amis));
        values.put("securityGroupId", securityGroup.id());
        values.put("vpcId", network.vpcId());
        values.put("subnetIds", network.subnetIds());
        values.put("jobLogGroupName", logGroup.name());
        sharedFileSystem.ifPresent(fs -> {
            values.put("sharedFileSystemId", fs.fileSystemId());
            values.put("sharedFileSystemMountPath", Output.of(fileSystem.mountPath()));
        });
        settings.data().workDirectory().ifPresent(w -> values.put("workDirectory", Output.of(w.uri())));
        registryCache.ifPresent(cache -> values.put("registryCacheImagePrefixes", imagePrefixes(cache)));
        if (!brought.isEmpty()) {
            values.put(BroughtRole.OUTPUT, BroughtRole.output(brought));
        }
        var nextflowRegistry = registryCache.flatMap(PullThroughCache.Built::nextflowRegistry);
        var engineInputs = engineInputs(args.namePrefix(), settings, account, queues, iam.jobRoleArn(),
                logGroup.name(), nextflowRegistry);
        var engineConfigs = engineInputs.applyValue(EngineConfigs::byOutputName);
        for (var output : EngineConfigs.OUTPUT_NAMES) {
            values.put(output, engineConfigs.applyValue(configs -> configs.get(output)));
        }
        var shareIdentifiers = settings.fairShare().shares().stream().map(Settings.FairShare.Share::id).toList();
        sharedQueue.ifPresent(queue -> values.put(EngineConfigs.NEXTFLOW_FAIR_SHARE_OUTPUT,
                Output.tuple(engineInputs, queue.arn()).applyValue(t -> EngineConfigs.nextflowFairShareConfig(t.t1,
                        new FairShareQueue(t.t2, shareIdentifiers)))));
        if (groups.enabled()) {
            values.put(EnvironmentOutputs.GROUPS, groupOutputs(args.namePrefix(), settings, account, queues,
                    environments, iam.jobRoleArn(), logGroup.name(), nextflowRegistry));
        }
        outputs = EnvironmentOutputs.ordered(values);
        registerOutputs(outputs);
    }

    /** Each share's submitter policy ARN by its identifier, in the order of the shares. */
    private static Output<Map<String, String>> shareSubmitterPolicyArns(Map<String, com.pulumi.aws.iam.Policy> policies) {
        return byKey(List.copyOf(policies.keySet()),
                policies.values().stream().map(com.pulumi.aws.iam.Policy::arn).toList());
    }

    /** The values by their keys, in order, once all are known. */
    private static Output<Map<String, String>> byKey(List<String> keys, List<Output<String>> values) {
        return Output.all(values).applyValue(resolved -> {
            var byKey = new LinkedHashMap<String, String>();
            for (var i = 0; i < keys.size(); i++) {
                byKey.put(keys.get(i), resolved.get(i));
            }
            return (Map<String, String>) byKey;
        });
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
                                                     Output<String> jobRoleArn, Output<String> logGroupName,
                                                     Optional<Output<String>> containerRegistry) {
        var defaultQueue = queues.get(Lineup.DEFAULT_QUEUE);
        var highPriority = queues.get(Lineup.HIGH_PRIORITY_QUEUE);
        var headJob = queues.get(Lineup.HEAD_JOB_QUEUE);
        var values = new ArrayList<>(List.of(account.applyValue(AwsAccount::region),
                defaultQueue.name(), defaultQueue.arn(), highPriority.name(), highPriority.arn(), headJob.name(),
                headJob.arn(), jobRoleArn, logGroupName));
        // With a GPU queue, each engine config routes GPU work to it (the last value).
        var gpu = Optional.ofNullable(queues.get(Lineup.GPU_QUEUE));
        gpu.ifPresent(q -> values.add(q.arn()));
        // With a registry cache, Nextflow takes images named without a registry from it (the value after those).
        var registryIndex = values.size();
        containerRegistry.ifPresent(values::add);
        return Output.all(values)
                .applyValue(v -> {
                    var in = EngineInputs.of(namePrefix, v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5),
                            v.get(6), v.get(7), v.get(8));
                    in = gpu.isPresent() ? in.withGpuQueue(v.get(9)) : in;
                    return withSettings(in.withTags(settings.tags()), settings,
                            containerRegistry.map(r -> v.get(registryIndex)));
                });
    }

    /**
     * What every engine config of the environment follows, the plain ones and each group's alike: Spot
     * retries, the registry cache, hosts without internet, the shared file system and the work directory.
     */
    private static EngineInputs withSettings(EngineInputs in, Settings.Environment settings,
                                             Optional<String> containerRegistry) {
        in = in.withSpotRetries(settings.spotRetries());
        in = containerRegistry.map(in::withContainerRegistry).orElse(in);
        in = settings.privateNetworking().enabled() ? in.withPrivateNetworking() : in;
        in = settings.sharedFileSystem().enabled() ? in.withSharedMountPath(settings.sharedFileSystem().mountPath())
                : in;
        var workDir = settings.data().workDirectory().map(Settings.WorkDirectory::uri);
        return workDir.map(in::withWorkDir).orElse(in);
    }

    /** Per upstream (its config name), the registry and prefix its images are pulled through. */
    private static Output<Map<String, String>> imagePrefixes(PullThroughCache.Built cache) {
        return byKey(cache.imagePrefixes().keySet().stream().map(CacheUpstream::key).toList(),
                List.copyOf(cache.imagePrefixes().values()));
    }


    /**
     * Per group, by its name: its queue's name and ARN, its compute environment's ARN, and the three engine
     * configs for its queue (the head-job queue and job role stay the environment's).
     */
    private static Output<Map<String, Map<String, String>>> groupOutputs(
            String namePrefix, Settings.Environment settings, Output<AwsAccount> account,
            Map<String, com.pulumi.aws.batch.JobQueue> queues, Map<String, ComputeEnvironment> environments,
            Output<String> jobRoleArn, Output<String> logGroupName, Optional<Output<String>> containerRegistry) {
        var headJob = queues.get(Lineup.HEAD_JOB_QUEUE);
        var perGroup = new ArrayList<Output<Map.Entry<String, Map<String, String>>>>();
        for (var g : settings.groups().list()) {
            var queue = queues.get(g.specName());
            var ce = environments.get(g.specName());
            var values = new ArrayList<>(List.of(account.applyValue(AwsAccount::region), queue.name(), queue.arn(),
                    ce.arn(), headJob.name(), headJob.arn(), jobRoleArn, logGroupName));
            // With a registry cache, the group's Nextflow config pulls through it too (the last value).
            containerRegistry.ifPresent(values::add);
            perGroup.add(Output.all(values).applyValue(v -> {
                        var in = EngineInputs.of(namePrefix, v.get(0), v.get(1), v.get(2), v.get(1), v.get(2),
                                        v.get(4), v.get(5), v.get(6), v.get(7))
                                .withTags(groupJobTags(settings.tags(), g))
                                .withGroup(new EngineInputs.Group(g.name(), g.capacity().label(), g.maxVcpus()));
                        in = withSettings(in, settings, containerRegistry.map(r -> v.get(8)));
                        var out = new LinkedHashMap<String, String>();
                        out.put(EnvironmentOutputs.GROUP_QUEUE_ARN, v.get(2));
                        out.put(EnvironmentOutputs.GROUP_QUEUE_NAME, v.get(1));
                        out.put(EnvironmentOutputs.GROUP_COMPUTE_ENVIRONMENT_ARN, v.get(3));
                        out.putAll(EngineConfigs.byOutputName(in));
                        return Map.entry(g.name(), java.util.Collections.unmodifiableMap(out));
                    }));
        }
        return Output.all(perGroup).applyValue(entries -> {
            var byName = new LinkedHashMap<String, Map<String, String>>();
            entries.forEach(e -> byName.put(e.getKey(), e.getValue()));
            return java.util.Collections.unmodifiableMap(byName);
        });
    }

    /** A group's resources: the kind comes before the group's name, so no two logical names can meet. */
    enum GroupResource {
        COMPUTE_ENVIRONMENT("group-environment"), QUEUE("group-queue"), LAUNCH_TEMPLATE("group-launch-template");

        private final String part;

        GroupResource(String part) {
            this.part = part;
        }
    }

    /**
     * "&lt;name&gt;-group-queue-&lt;group&gt;" and the like: from the group's name only, so adding or removing
     * a group never renames another's resources.
     */
    static String groupLogicalName(String name, GroupResource kind, Settings.Group group) {
        return name + "-" + kind.part + "-" + group.name();
    }

    /** The tags of a group's resources: the environment's and the group's. */
    static Map<String, String> groupTags(Map<String, String> tags, Settings.Group group) {
        var withGroup = new TreeMap<>(tags);
        withGroup.put(ResourceTags.GROUP_TAG, group.name());
        return withGroup;
    }

    /** A group's job tags: the stack's, in their order, and the group's, so split cost allocation sees it per job. */
    static Map<String, String> groupJobTags(Map<String, String> stackTags, Settings.Group group) {
        var tags = new LinkedHashMap<>(stackTags);
        tags.put(ResourceTags.GROUP_TAG, group.name());
        return tags;
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
        var problems = new ArrayList<>(SettingsValidator.problems(args.settings()));
        // The policy sizes are judged on values that are valid: a refused name says nothing of the real size.
        var refused = problems.stream().flatMap(p -> p.keys().stream()).collect(java.util.stream.Collectors.toSet());
        java.util.stream.Stream.concat(java.util.stream.Stream.of(
                                InlinePolicyBudget.check(args.namePrefix(), args.settings()),
                                SubmitterPolicy.check(args.namePrefix(), args.settings()),
                                EnvironmentBudget.check(args.namePrefix(), args.settings()),
                                PullThroughCache.check(args.namePrefix(), args.settings()))
                        .flatMap(java.util.Optional::stream), GroupLimits.check(args.namePrefix(), args.settings()).stream())
                .filter(p -> p.keys().stream().noneMatch(refused::contains))
                // The role path and the brought role ARNs are written into the measured policies too.
                .filter(p -> java.util.Collections.disjoint(refused, List.of(ConfigKey.IAM_ROLE_PATH,
                        ConfigKey.JOB_ROLE_ARN, ConfigKey.HEAD_JOB_ROLE_ARN)))
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
