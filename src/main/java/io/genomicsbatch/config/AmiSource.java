package io.genomicsbatch.config;

import java.util.Optional;

/**
 * Where a compute environment's pinned AMI comes from: an approved image ID, or an SSM parameter whose
 * value is one (AWS's recommended ECS-optimized Amazon Linux 2023 parameters by default), resolved at
 * each preview and set as the environment's {@code ec2Configurations[0].imageIdOverride}.
 *
 * @param value the AMI ID or the parameter name
 * @param byId  true: {@code value} is an AMI ID; false: an SSM parameter name
 * @param key   the config key that set it; empty for AWS's recommended parameter ({@code amiPinning})
 */
public record AmiSource(String value, boolean byId, Optional<ConfigKey> key) {

    /** AWS's public parameters of the ECS-optimized Amazon Linux 2023 AMIs (Amazon ECS developer guide). */
    public static final String AWS_ECS_AL2023 = "/aws/service/ecs/optimized-ami/amazon-linux-2023/";
    public static final String RECOMMENDED_X86_64 = AWS_ECS_AL2023 + "recommended/image_id";
    public static final String RECOMMENDED_ARM64 = AWS_ECS_AL2023 + "arm64/recommended/image_id";
    public static final String RECOMMENDED_GPU = AWS_ECS_AL2023 + "gpu/recommended/image_id";

    /** AWS's recommended parameter for an image type and architecture. */
    public static AmiSource recommended(ImageType image, String architecture) {
        return new AmiSource(image.gpu() ? RECOMMENDED_GPU
                : architecture.equals("arm64") ? RECOMMENDED_ARM64 : RECOMMENDED_X86_64, false, Optional.empty());
    }

    /** Whether a value is an AMI ID ("ami-" and 8 or 17 hex digits), as a parameter must hold. */
    public static boolean isAmiId(String value) {
        return AwsFormats.isAmiId(value);
    }

    /** The key that decides this source, as messages name it: the explicit one, or amiPinning. */
    public ConfigKey decidingKey() {
        return key.orElse(ConfigKey.AMI_PINNING);
    }

    /** "AMI ami-…" or "SSM parameter /…", for messages and the plan. */
    public String describe() {
        return (byId ? "AMI " : "SSM parameter ") + value;
    }

    /**
     * The kind of image one of AWS's ECS-optimized Amazon Linux 2023 parameters names, by its path
     * ({@code .../amazon-linux-2023/arm64/...} and so on); empty for any other parameter, whose image
     * only its owner knows.
     */
    public static Optional<AwsVariant> awsVariant(String parameter) {
        if (!parameter.startsWith(AWS_ECS_AL2023)) {
            return Optional.empty();
        }
        var first = parameter.substring(AWS_ECS_AL2023.length()).split("/", 2)[0];
        return Optional.of(switch (first) {
            case "arm64" -> AwsVariant.ARM64;
            case "gpu" -> AwsVariant.GPU;
            case "inf", "neuron" -> AwsVariant.NEURON;
            default -> AwsVariant.X86_64;
        });
    }

    /** The images AWS publishes ECS-optimized Amazon Linux 2023 parameters for. */
    public enum AwsVariant {
        X86_64("x86_64", false), ARM64("arm64", false), GPU("x86_64", true), NEURON("x86_64", false);

        private final String architecture;
        private final boolean nvidia;

        AwsVariant(String architecture, boolean nvidia) {
            this.architecture = architecture;
            this.nvidia = nvidia;
        }

        public String architecture() {
            return architecture;
        }

        /** Whether the image carries the NVIDIA driver (ECS_AL2023_NVIDIA's image). */
        public boolean nvidia() {
            return nvidia;
        }
    }
}
