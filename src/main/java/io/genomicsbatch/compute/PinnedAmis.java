package io.genomicsbatch.compute;

import com.pulumi.aws.ec2.Ec2Functions;
import com.pulumi.aws.ec2.inputs.GetAmiArgs;
import com.pulumi.aws.ec2.inputs.GetAmiFilterArgs;
import com.pulumi.aws.ec2.outputs.GetAmiResult;
import com.pulumi.aws.ssm.SsmFunctions;
import com.pulumi.aws.ssm.inputs.GetParameterArgs;
import com.pulumi.aws.ssm.outputs.GetParameterResult;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOutputOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.config.AmiSource;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The AMI each compute environment is pinned to ({@code imageIdOverride}), resolved at every preview: a
 * parameter's current value (so a new AWS image is a visible diff), or an approved image, looked up to
 * check that it fits the environment's instance types. Each source is looked up once.
 */
public final class PinnedAmis {
    private PinnedAmis() {
    }

    /** The image ID per compute environment name; empty when pinning is off. */
    public static Map<String, Output<String>> resolve(Settings.Environment settings, Resource parent) {
        var options = InvokeOutputOptions.builder().parent(parent).build();
        // Environments that share a source (Spot and On-Demand) share its lookup and its check.
        var bySource = new LinkedHashMap<AmiSource, List<Settings.ComputeEnvironmentSpec>>();
        for (var ce : settings.computeEnvironments()) {
            settings.amis().source(ce).ifPresent(s -> bySource.computeIfAbsent(s, k -> new ArrayList<>()).add(ce));
        }
        var amis = new LinkedHashMap<String, Output<String>>();
        bySource.forEach((source, environments) -> {
            Output<String> ami;
            if (source.byId()) {
                ami = Ec2Functions.getAmi(GetAmiArgs.builder()
                        .filters(GetAmiFilterArgs.builder().name("image-id").values(source.value()).build())
                        // An approved image stays usable after AWS's deprecation date.
                        .includeDeprecated(true)
                        .build(), options)
                        .applyValue(found -> {
                            problem(source, environments, found).ifPresent(why -> {
                                throw new IllegalStateException(why);
                            });
                            return source.value();
                        });
            } else {
                ami = SsmFunctions.getParameter(GetParameterArgs.builder().name(source.value()).build(), options)
                        // insecureValue: an AMI ID is no secret, and the stack output must show it.
                        .applyValue(GetParameterResult::insecureValue)
                        .applyValue(value -> checkedValue(source, value));
            }
            environments.forEach(ce -> amis.put(ce.name(), ami));
        });
        return amis;
    }

    /** A parameter's value, which must be an AMI ID. */
    static String checkedValue(AmiSource source, String value) {
        if (value == null || !AmiSource.isAmiId(value.trim())) {
            throw new IllegalStateException(source.decidingKey().fullKey() + ": SSM parameter " + source.value()
                    + " holds " + ConfigProblem.render(String.valueOf(value)) + ", not an AMI ID (\"ami-\" and 8 or"
                    + " 17 hex digits); point it at a parameter whose value is the image's ID");
        }
        return value.trim();
    }

    /**
     * Why an approved image does not fit an environment, if it does not: another architecture than its
     * instance types', or, for the GPU environment, one of AWS's own images without the NVIDIA driver
     * (AWS names its GPU images so; an image of another owner cannot be judged by its name). A field the
     * answer lacks (the offline plan) is not judged.
     */
    static Optional<String> problem(AmiSource source, List<Settings.ComputeEnvironmentSpec> environments,
                                    GetAmiResult image) {
        var got = source.decidingKey().fullKey() + ": got " + ConfigProblem.render(source.value()) + "; ";
        var name = Optional.ofNullable(image.name());
        var architecture = Optional.ofNullable(image.architecture());
        var unfit = environments.stream().filter(ce -> architecture.isPresent()
                && !architecture.get().equals(expectedArchitecture(ce))).toList();
        if (!unfit.isEmpty()) {
            var ce = unfit.get(0);
            return Optional.of(got + "the image" + name.map(n -> " " + ConfigProblem.render(n)).orElse("") + " is "
                    + architecture.get() + ", but " + ce.keys().instanceTypes().fullKey() + " are "
                    + expectedArchitecture(ce) + " (the " + String.join(" and ", unfit.stream()
                    .map(Settings.ComputeEnvironmentSpec::name).toList()) + " compute environment"
                    + (unfit.size() > 1 ? "s" : "") + "): expected an " + expectedArchitecture(ce) + " image");
        }
        var gpu = environments.stream().anyMatch(ce -> ce.imageType().gpu());
        if (gpu && "amazon".equals(image.imageOwnerAlias()) && name.isPresent()
                && !name.get().toLowerCase(Locale.ROOT).matches(".*(gpu|nvidia).*")) {
            return Optional.of(got + "AWS's image " + ConfigProblem.render(name.get()) + " has no NVIDIA driver (AWS "
                    + "names its GPU images \"...-gpu-...\"), and the GPU compute environment needs it: expected a "
                    + "GPU image, such as the value of " + AmiSource.RECOMMENDED_GPU);
        }
        return Optional.empty();
    }

    /** x86_64 for the GPU environment (ECS_AL2023_NVIDIA is built for it), else the instance types'. */
    private static String expectedArchitecture(Settings.ComputeEnvironmentSpec ce) {
        return ce.imageType().gpu() ? "x86_64" : ce.architecture();
    }

    /** The stack outputs: the CPU environments' image and, with a GPU environment, its image. */
    public static Map<String, Output<String>> outputs(Settings.Environment settings, Map<String, Output<String>> amis) {
        var outputs = new LinkedHashMap<String, Output<String>>();
        for (var ce : settings.computeEnvironments()) {
            var name = ce.imageType().gpu() ? "gpuAmiId" : "amiId";
            Optional.ofNullable(amis.get(ce.name())).ifPresent(ami -> outputs.putIfAbsent(name, ami));
        }
        return outputs;
    }

}
