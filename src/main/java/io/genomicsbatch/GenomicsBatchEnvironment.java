package io.genomicsbatch;

import com.pulumi.context.LoggingContext;
import com.pulumi.aws.batch.ComputeEnvironment;
import com.pulumi.aws.ec2.LaunchTemplate;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.compute.ComputeEnvironments;
import io.genomicsbatch.compute.HostLaunchTemplate;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.ImageType;
import io.genomicsbatch.config.InvalidConfigException;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.config.SettingsValidator;
import io.genomicsbatch.iam.BatchIam;
import io.genomicsbatch.iam.HostStorageGrowth;
import io.genomicsbatch.network.HostSecurityGroup;
import io.genomicsbatch.network.Network;
import io.genomicsbatch.queues.JobQueues;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
     * @param tags       added to every taggable resource, instances and volumes included
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
        var tags = new TreeMap<>(args.tags());
        args.log().ifPresent(log -> SettingsValidator.warnings(settings).forEach(w -> log.warn(w)));
        var values = new LinkedHashMap<String, Output<?>>();

        var network = Network.lookUp(settings.network(), this);
        var securityGroup = HostSecurityGroup.create(name + "-host-security-group", network.vpcId(), tags, this);
        var launchTemplates = new EnumMap<ImageType, LaunchTemplate>(ImageType.class);
        for (var ce : settings.computeEnvironments()) {
            launchTemplates.computeIfAbsent(ce.imageType(), image -> HostLaunchTemplate.create(
                    new HostLaunchTemplate.Props(launchTemplateName(name, image), image, settings.storage(),
                            args.namePrefix(), tags, this)));
        }
        var iam = BatchIam.create(new BatchIam.Props(name, settings.data(),
                settings.computeEnvironments().stream().anyMatch(Settings.ComputeEnvironmentSpec::needsSpotFleetRole),
                settings.protect(), tags, this));
        // Hosts grow their data storage with volumes tagged for this environment only.
        var storageGrowth = HostStorageGrowth.create(new HostStorageGrowth.Props(name + "-instance-role-storage-growth",
                iam.instanceRole(), UserData.TAG_KEY, args.namePrefix(), settings.storage().maxGiB(), this));
        var hostPolicies = new ArrayList<Resource>(iam.attachments());
        hostPolicies.add(storageGrowth);

        var environments = new LinkedHashMap<String, ComputeEnvironment>();
        for (var spec : settings.computeEnvironments()) {
            var ce = ComputeEnvironments.create(new ComputeEnvironments.Props(name + "-" + spec.name(),
                    args.namePrefix() + "-" + spec.name() + "-", spec, network.subnetIds(), securityGroup.id(),
                    iam.instanceProfile().arn(), launchTemplates.get(spec.imageType()), iam.spotFleetRole(),
                    hostPolicies, tags, settings.protect(), this));
            environments.put(spec.name(), ce);
            values.put(EnvironmentOutputs.computeEnvironmentArn(spec.name()), ce.arn());
        }
        for (var spec : settings.queues()) {
            var queue = JobQueues.create(new JobQueues.Props(name + "-" + spec.name(),
                    args.namePrefix() + "-" + spec.name(), spec,
                    spec.computeEnvironments().stream().map(environments::get).toList(),
                    settings.runnableTimeoutMinutes(), tags, settings.protect(), this));
            values.put(EnvironmentOutputs.queueArn(spec.name()), queue.arn());
            values.put(EnvironmentOutputs.queueName(spec.name()), queue.name());
        }

        values.put("jobRoleArn", iam.jobRole().arn());
        values.put("instanceRoleArn", iam.instanceRole().arn());
        values.put("instanceProfileArn", iam.instanceProfile().arn());
        values.put("launchTemplateId", launchTemplates.get(ImageType.ECS_AL2023).id());
        Optional.ofNullable(launchTemplates.get(ImageType.ECS_AL2023_NVIDIA))
                .ifPresent(lt -> values.put("gpuLaunchTemplateId", lt.id()));
        values.put("securityGroupId", securityGroup.id());
        values.put("vpcId", network.vpcId());
        values.put("subnetIds", network.subnetIds());
        outputs = EnvironmentOutputs.ordered(values);
        registerOutputs(outputs);
    }

    /** The outputs by their stack output names, in the order of {@link EnvironmentOutputs#CONTRACT}. */
    public Map<String, Output<?>> outputs() {
        return outputs;
    }

    /** The template of CPU hosts keeps its original name; other AMI families get their own. */
    static String launchTemplateName(String name, ImageType image) {
        return name + (image.gpu() ? "-gpu" : "") + "-host-launch-template";
    }

    /** Settings are checked here, once, before anything is registered (the component included). */
    private static ComponentResourceOptions checked(Args args, ComponentResourceOptions options) {
        var problems = SettingsValidator.problems(args.settings());
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return options;
    }
}
