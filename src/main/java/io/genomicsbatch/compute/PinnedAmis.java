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

import java.util.HashMap;
import java.util.LinkedHashMap;
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
        var byParameter = new HashMap<String, Output<String>>();
        var byImage = new HashMap<String, Output<GetAmiResult>>();
        var amis = new LinkedHashMap<String, Output<String>>();
        for (var ce : settings.computeEnvironments()) {
            settings.amis().source(ce).ifPresent(source -> {
                if (source.byId()) {
                    var image = byImage.computeIfAbsent(source.value(), id -> Ec2Functions.getAmi(GetAmiArgs.builder()
                            .filters(GetAmiFilterArgs.builder().name("image-id").values(id).build())
                            // An approved image stays usable after AWS's deprecation date.
                            .includeDeprecated(true)
                            .build(), options));
                    amis.put(ce.name(), image.applyValue(found -> {
                        problem(source, ce, found).ifPresent(why -> {
                            throw new IllegalStateException(why);
                        });
                        return source.value();
                    }));
                } else {
                    amis.put(ce.name(), byParameter.computeIfAbsent(source.value(), name -> SsmFunctions
                            .getParameter(GetParameterArgs.builder().name(name).build(), options)
                            // insecureValue: an AMI ID is no secret, and the stack output must show it.
                            .applyValue(GetParameterResult::insecureValue)
                            .applyValue(value -> checkedValue(source, value))));
                }
            });
        }
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
    static Optional<String> problem(AmiSource source, Settings.ComputeEnvironmentSpec ce, GetAmiResult image) {
        var key = source.decidingKey();
        var got = key.fullKey() + ": got " + ConfigProblem.render(source.value()) + "; ";
        var name = Optional.ofNullable(image.name());
        var architecture = Optional.ofNullable(image.architecture());
        var expected = ce.imageType().gpu() ? "x86_64" : ce.architecture();
        if (architecture.isPresent() && !architecture.get().equals(expected)) {
            return Optional.of(got + "the image" + name.map(n -> " " + ConfigProblem.render(n)).orElse("") + " is "
                    + architecture.get() + ", but " + ce.keys().instanceTypes().fullKey() + " are " + expected
                    + " (the " + ce.name() + " compute environment): expected an " + expected + " image");
        }
        if (ce.imageType().gpu() && "amazon".equals(image.imageOwnerAlias()) && name.isPresent()
                && !name.get().toLowerCase(Locale.ROOT).matches(".*(gpu|nvidia).*")) {
            return Optional.of(got + "AWS's image " + ConfigProblem.render(name.get()) + " has no NVIDIA driver (AWS "
                    + "names its GPU images \"...-gpu-...\"), and the GPU compute environment needs it: expected a "
                    + "GPU image, such as the value of " + AmiSource.RECOMMENDED_GPU);
        }
        return Optional.empty();
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
