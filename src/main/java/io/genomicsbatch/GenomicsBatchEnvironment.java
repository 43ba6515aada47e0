package io.genomicsbatch;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import io.genomicsbatch.compute.ComputeEnvironments;
import io.genomicsbatch.compute.HostLaunchTemplate;
import io.genomicsbatch.config.InvalidConfigException;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.config.SettingsValidator;
import io.genomicsbatch.iam.BatchIam;
import io.genomicsbatch.network.HostSecurityGroup;
import io.genomicsbatch.network.Network;
import io.genomicsbatch.queues.JobQueues;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A complete AWS Batch environment for genomics workflows: network lookup, host security group,
 * launch template, IAM, a Spot and an On-Demand compute environment and two ordered job queues,
 * all children of this component. Reusable from other Pulumi Java programs with typed args.
 */
public final class GenomicsBatchEnvironment extends ComponentResource {

    public static final String TYPE = "genomics-batch:index:BatchEnvironment";

    /**
     * @param namePrefix prefix of the AWS names (queues, compute environments): letters, digits,
     *                   '-' and '_', at most {@value #MAX_NAME_PREFIX} characters
     * @param settings   validated when the component is constructed
     * @param tags       added to every taggable resource, instances and volumes included
     */
    public record Args(String namePrefix, Settings.Environment settings, Map<String, String> tags) {
        public static final int MAX_NAME_PREFIX = 64;
        private static final Pattern NAME_PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0," + (MAX_NAME_PREFIX - 1) + "}");

        public Args {
            if (!NAME_PREFIX.matcher(namePrefix).matches()) {
                throw new IllegalArgumentException("namePrefix \"" + namePrefix + "\": expected 1-" + MAX_NAME_PREFIX
                        + " letters, digits, '-' or '_', starting with a letter or digit");
            }
            tags = Map.copyOf(tags);
        }
    }

    public final Output<String> defaultJobQueueArn;
    public final Output<String> highPriorityJobQueueArn;
    public final Output<String> defaultJobQueueName;
    public final Output<String> highPriorityJobQueueName;
    public final Output<String> spotComputeEnvironmentArn;
    public final Output<String> onDemandComputeEnvironmentArn;
    public final Output<String> jobRoleArn;
    public final Output<String> instanceRoleArn;
    public final Output<String> instanceProfileArn;
    public final Output<String> launchTemplateId;
    public final Output<String> securityGroupId;
    public final Output<String> vpcId;
    public final Output<List<String>> subnetIds;

    public GenomicsBatchEnvironment(String name, Args args) {
        this(name, args, ComponentResourceOptions.Empty);
    }

    public GenomicsBatchEnvironment(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, checked(args, options));
        var settings = args.settings();
        var tags = new TreeMap<>(args.tags());

        var network = Network.lookUp(settings.network(), this);
        var securityGroup = HostSecurityGroup.create(name + "-host-security-group", network.vpcId(), tags, this);
        var launchTemplate = HostLaunchTemplate.create(name + "-host-launch-template", settings.scratchVolumeGiB(), tags, this);
        var iam = new BatchIam(name, settings.dataBucketNames(), settings.spot().needsSpotFleetRole(),
                settings.protect(), tags, this);

        var shared = new ComputeEnvironments.Shared(settings.instanceTypes(), network.subnetIds(),
                securityGroup.id(), iam.instanceProfile().arn(), launchTemplate, iam.attachments(), tags,
                settings.protect());
        var spot = ComputeEnvironments.create(name + "-spot", args.namePrefix() + "-spot-", settings.spot(),
                shared, iam.spotFleetRole(), this);
        var onDemand = ComputeEnvironments.create(name + "-on-demand", args.namePrefix() + "-on-demand-",
                settings.onDemand(), shared, Optional.empty(), this);
        var queues = new JobQueues(name, args.namePrefix(), settings.queues(), spot, onDemand, settings.protect(),
                tags, this);

        defaultJobQueueArn = queues.defaultQueue().arn();
        highPriorityJobQueueArn = queues.highPriorityQueue().arn();
        defaultJobQueueName = queues.defaultQueue().name();
        highPriorityJobQueueName = queues.highPriorityQueue().name();
        spotComputeEnvironmentArn = spot.arn();
        onDemandComputeEnvironmentArn = onDemand.arn();
        jobRoleArn = iam.jobRole().arn();
        instanceRoleArn = iam.instanceRole().arn();
        instanceProfileArn = iam.instanceProfile().arn();
        launchTemplateId = launchTemplate.id();
        securityGroupId = securityGroup.id();
        vpcId = network.vpcId();
        subnetIds = network.subnetIds();
        registerOutputs(outputs());
    }

    /** The outputs by their stack output names, in the documented order. */
    public Map<String, Output<?>> outputs() {
        var outputs = new java.util.LinkedHashMap<String, Output<?>>();
        outputs.put("defaultJobQueueArn", defaultJobQueueArn);
        outputs.put("highPriorityJobQueueArn", highPriorityJobQueueArn);
        outputs.put("defaultJobQueueName", defaultJobQueueName);
        outputs.put("highPriorityJobQueueName", highPriorityJobQueueName);
        outputs.put("spotComputeEnvironmentArn", spotComputeEnvironmentArn);
        outputs.put("onDemandComputeEnvironmentArn", onDemandComputeEnvironmentArn);
        outputs.put("jobRoleArn", jobRoleArn);
        outputs.put("instanceRoleArn", instanceRoleArn);
        outputs.put("instanceProfileArn", instanceProfileArn);
        outputs.put("launchTemplateId", launchTemplateId);
        outputs.put("securityGroupId", securityGroupId);
        outputs.put("vpcId", vpcId);
        outputs.put("subnetIds", subnetIds);
        return outputs;
    }

    /** Settings handed in directly get the same checks as stack config. */
    private static ComponentResourceOptions checked(Args args, ComponentResourceOptions options) {
        var problems = SettingsValidator.problems(args.settings());
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return options;
    }
}
