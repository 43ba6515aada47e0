package io.genomicsbatch.compute;

import io.genomicsbatch.config.AmiSource;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.plan.PlanEngine;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.genomicsbatch.support.AwsAnswers.APPROVED_ARM64_AMI;
import static io.genomicsbatch.support.AwsAnswers.APPROVED_PARAMETER;
import static io.genomicsbatch.support.AwsAnswers.APPROVED_X86_64_AMI;
import static io.genomicsbatch.support.AwsAnswers.RECOMMENDED_ARM64_AMI;
import static io.genomicsbatch.support.AwsAnswers.RECOMMENDED_GPU_AMI;
import static io.genomicsbatch.support.AwsAnswers.RECOMMENDED_X86_64_AMI;
import static io.genomicsbatch.support.TestStacks.invalidConfig;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** Pinned AMIs (docs/restricted-accounts.md): resolution, imageIdOverride, outputs, checks and the plan. */
class PinnedAmisTest {

    static final String CE = "aws:batch/computeEnvironment:ComputeEnvironment";
    static final String FIXTURE = "pinned-amis";
    static final List<String> AMI_INVOKES = List.of("aws:ssm/getParameter:getParameter", "aws:ec2/getAmi:getAmi");

    /** A project with the pinned-amis fixture stack (its own directory, so the shared fixtures stay dev and prod). */
    static final java.nio.file.Path PROJECT = pinnedProject();

    private static java.nio.file.Path pinnedProject() {
        try {
            var dir = java.nio.file.Files.createTempDirectory(java.nio.file.Files.createDirectories(
                    java.nio.file.Path.of("target")), "pinned-amis-");
            dir.toFile().deleteOnExit();
            return TestStacks.project(dir, FIXTURE, java.nio.file.Files.readString(
                    TestStacks.FIXTURES.resolve(FIXTURE).resolve("Pulumi." + FIXTURE + ".yaml")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Recorder.Recording runFixture(AwsAnswers answers) {
        return TestStacks.run(FIXTURE, StackFiles.load(PROJECT, FIXTURE).source(), answers);
    }

    /** A fixture stack file with some values changed, in a fake account. */
    static Recorder.Recording run(String stack, Map<String, String> overrides, AwsAnswers answers) {
        var file = StackFiles.load(TestStacks.PROJECT_DIR, stack).source();
        var values = new TreeMap<String, String>();
        file.keys().forEach(k -> values.put(k, file.get(k).orElseThrow()));
        values.putAll(overrides);
        return TestStacks.run(stack, ConfigSource.of(values), answers);
    }

    static Recorder.Recording run(String stack, Map<String, String> overrides) {
        return run(stack, overrides, new AwsAnswers());
    }

    /** Each compute environment's imageIdOverride (null where it has none), by logical name. */
    static Map<String, Object> overrides(Recorder.Recording recording) {
        var byName = new LinkedHashMap<String, Object>();
        for (var ce : TestStacks.ofType(recording, CE)) {
            var configurations = (List<?>) TestStacks.input(ce, "computeResources", "ec2Configurations");
            assertThat(configurations).as(ce.name()).hasSize(1);
            byName.put(ce.name(), ((Map<?, ?>) configurations.get(0)).get("imageIdOverride"));
        }
        return byName;
    }

    @Test
    void offByDefaultNothingIsLookedUpAndBatchPicksTheImage() {
        for (var stack : List.of("dev", "prod")) {
            var answers = TestStacks.answersFor(stack);
            var recording = succeeded(TestStacks.runStackFile(stack, answers));
            assertThat(overrides(recording)).as(stack).isNotEmpty().containsOnlyKeys(
                    "genomics-batch-spot", "genomics-batch-on-demand").allSatisfy((name, ami) -> assertThat(ami).isNull());
            assertThat(TestStacks.ofType(recording, CE)).allSatisfy(ce -> assertThat(
                    ((Map<?, ?>) ((List<?>) TestStacks.input(ce, "computeResources", "ec2Configurations")).get(0))
                            .keySet()).isEqualTo(java.util.Set.of("imageType")));
            assertThat(answers.invokes()).as(stack).doesNotContainAnyElementsOf(AMI_INVOKES);
            assertThat(recording.outputs()).as(stack).doesNotContainKeys("amiId", "gpuAmiId");
        }
    }

    @Test
    void theFixtureStackPinsEachEnvironmentToAwsRecommendedImageOfItsKind() {
        var answers = new AwsAnswers();
        var recording = succeeded(runFixture(answers));
        assertThat(overrides(recording)).containsExactly(
                Map.entry("genomics-batch-spot", RECOMMENDED_X86_64_AMI),
                Map.entry("genomics-batch-on-demand", RECOMMENDED_X86_64_AMI),
                Map.entry("genomics-batch-gpu", RECOMMENDED_GPU_AMI));
        assertThat(recording.outputs()).containsEntry("amiId", RECOMMENDED_X86_64_AMI)
                .containsEntry("gpuAmiId", RECOMMENDED_GPU_AMI);
        // One lookup per parameter (Spot and On-Demand share theirs); no image lookup for AWS's parameters.
        assertThat(answers.invokes()).filteredOn(AMI_INVOKES::contains)
                .containsExactlyInAnyOrder("aws:ssm/getParameter:getParameter", "aws:ssm/getParameter:getParameter");
    }

    @Test
    void armInstanceTypesGetAwsArmParameter() {
        var recording = succeeded(run("dev", Map.of("instanceTypes", "[\"m7g\",\"c7g\"]", "amiPinning", "true")));
        assertThat(overrides(recording)).containsOnly(Map.entry("genomics-batch-spot", RECOMMENDED_ARM64_AMI),
                Map.entry("genomics-batch-on-demand", RECOMMENDED_ARM64_AMI));
        assertThat(recording.outputs()).containsEntry("amiId", RECOMMENDED_ARM64_AMI).doesNotContainKey("gpuAmiId");
    }

    @Test
    void aNewAwsImageIsADiffOfEveryPinnedEnvironmentAndOfTheOutput() {
        var newer = "ami-0fedcba9876543210";
        var recording = succeeded(runFixture(
                new AwsAnswers().withParameter(AmiSource.RECOMMENDED_X86_64, newer)));
        assertThat(overrides(recording)).containsEntry("genomics-batch-spot", newer)
                .containsEntry("genomics-batch-on-demand", newer)
                .containsEntry("genomics-batch-gpu", RECOMMENDED_GPU_AMI);
        assertThat(recording.outputs()).containsEntry("amiId", newer);
    }

    @Test
    void anApprovedImageByIdIsLookedUpOnceAndPinned() {
        var answers = new AwsAnswers();
        var recording = succeeded(run("dev", Map.of("amiId", APPROVED_X86_64_AMI), answers));
        // An image key alone turns pinning on.
        assertThat(overrides(recording)).containsOnly(Map.entry("genomics-batch-spot", APPROVED_X86_64_AMI),
                Map.entry("genomics-batch-on-demand", APPROVED_X86_64_AMI));
        assertThat(answers.invokes()).filteredOn(AMI_INVOKES::contains).containsExactly("aws:ec2/getAmi:getAmi");
        assertThat(recording.outputs()).containsEntry("amiId", APPROVED_X86_64_AMI);
    }

    @Test
    void aParameterOfOnesOwnAndAnApprovedGpuImage() {
        var recording = succeeded(run("dev", Map.of("amiSsmParameter", APPROVED_PARAMETER, "gpuMaxVcpus", "8",
                "gpuAmiId", RECOMMENDED_GPU_AMI)));
        assertThat(overrides(recording)).containsOnly(Map.entry("genomics-batch-spot", APPROVED_X86_64_AMI),
                Map.entry("genomics-batch-on-demand", APPROVED_X86_64_AMI),
                Map.entry("genomics-batch-gpu", RECOMMENDED_GPU_AMI));
        assertThat(recording.outputs()).containsEntry("gpuAmiId", RECOMMENDED_GPU_AMI);
    }

    /** Checks that need the account: the image's architecture and driver, the parameter's value. */
    static Stream<List<String>> accountChecks() {
        return Stream.of(
                List.of("amiId", APPROVED_ARM64_AMI, "genomics-batch:amiId: got \"" + APPROVED_ARM64_AMI
                        + "\"; the image \"acme-hardened-ecs-al2023-arm64-2026.09\" is arm64, but "
                        + "genomics-batch:instanceTypes are x86_64 (the spot and on-demand compute environments): "
                        + "expected an x86_64 image"),
                List.of("gpuAmiId", RECOMMENDED_X86_64_AMI, "genomics-batch:gpuAmiId: got \"" + RECOMMENDED_X86_64_AMI
                        + "\"; AWS's image \"al2023-ami-ecs-hvm-2023.0.20260901-kernel-6.1-x86_64\" has no NVIDIA "
                        + "driver (AWS names its GPU images \"...-gpu-...\"), and the GPU compute environment needs "
                        + "it: expected a GPU image, such as the value of " + AmiSource.RECOMMENDED_GPU),
                List.of("gpuAmiId", APPROVED_ARM64_AMI, "genomics-batch:gpuAmiId: got \"" + APPROVED_ARM64_AMI
                        + "\"; the image \"acme-hardened-ecs-al2023-arm64-2026.09\" is arm64, but "
                        + "genomics-batch:gpuInstanceTypes are x86_64 (the gpu compute environment): expected an "
                        + "x86_64 image"));
    }

    @ParameterizedTest
    @MethodSource("accountChecks")
    void anImageThatDoesNotFitFailsThePreviewNamingItsKey(List<String> c) {
        var recording = run("dev", Map.of(c.get(0), c.get(1), "gpuMaxVcpus", "8"));
        assertThat(recording.exceptions()).as("the program must fail").isNotEmpty();
        assertThat(rootMessages(recording)).contains(c.get(2));
    }

    @Test
    void aParameterThatHoldsNoAmiIdFailsThePreviewNamingItsKey() {
        var recording = run("dev", Map.of("amiPinning", "true"), new AwsAnswers()
                .withParameter(AmiSource.RECOMMENDED_X86_64, "{\"image_id\":\"ami-0\"}"));
        assertThat(rootMessages(recording)).contains("genomics-batch:amiPinning: SSM parameter "
                + AmiSource.RECOMMENDED_X86_64 + " holds \"{\"image_id\":\"ami-0\"}\", not an AMI ID (\"ami-\" "
                + "and 8 or 17 hex digits); point it at a parameter whose value is the image's ID");
    }

    static List<String> rootMessages(Recorder.Recording recording) {
        return recording.exceptions().stream().map(e -> {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t.getMessage();
        }).toList();
    }

    /** Bad input refused before anything is registered, each naming its key, the value and what is allowed. */
    static Stream<List<String>> badConfigs() {
        var aws = AmiSource.AWS_ECS_AL2023;
        return Stream.of(
                List.of("amiId", "ami-1234567", "genomics-batch:amiId: got \"ami-1234567\"; expected an AMI ID: "
                        + "\"ami-\" and 8 or 17 hex digits (e.g. ami-0a1b2c3d4e5f67890)"),
                List.of("amiId", "ami-0123456789ABCDEF0", "genomics-batch:amiId: got \"ami-0123456789ABCDEF0\"; "
                        + "expected an AMI ID"),
                List.of("amiId", "ami-0123456789abcdef", "genomics-batch:amiId: got \"ami-0123456789abcdef\"; "
                        + "expected an AMI ID"),
                List.of("gpuAmiId", "i-0123456789abcdef0", "genomics-batch:gpuAmiId: got \"i-0123456789abcdef0\"; "
                        + "expected an AMI ID"),
                List.of("amiSsmParameter", "aws/service/x", "genomics-batch:amiSsmParameter: got \"aws/service/x\"; "
                        + "expected an SSM parameter name: '/' and at most 15 levels separated by '/', each of "
                        + "letters, digits and _ . -, at most 1011 characters (e.g. " + AmiSource.RECOMMENDED_X86_64
                        + ")"),
                List.of("amiSsmParameter", "/acme//ami", "genomics-batch:amiSsmParameter: got \"/acme//ami\"; "
                        + "expected an SSM parameter name"),
                List.of("amiSsmParameter", "/acme/ami/", "genomics-batch:amiSsmParameter: got \"/acme/ami/\"; "
                        + "expected an SSM parameter name"),
                List.of("amiSsmParameter", "/acme/golden ami", "genomics-batch:amiSsmParameter: got "
                        + "\"/acme/golden ami\"; expected an SSM parameter name"),
                List.of("amiSsmParameter", "/a".repeat(16), "genomics-batch:amiSsmParameter: got \"" + "/a".repeat(16)
                        + "\"; expected an SSM parameter name"),
                List.of("amiSsmParameter", "/" + "a".repeat(1011), "genomics-batch:amiSsmParameter: got \"/"
                        + "a".repeat(159) + "\"... (1012 characters); expected an SSM parameter name"),
                List.of("amiSsmParameter", aws + "recommended", "genomics-batch:amiSsmParameter: got \"" + aws
                        + "recommended\"; its value is the image's metadata (JSON), not an AMI ID; the ID is its "
                        + "image_id parameter; expected " + AmiSource.RECOMMENDED_X86_64 + " or a parameter of your own"),
                List.of("amiSsmParameter", "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id",
                        "genomics-batch:amiSsmParameter: got \"/aws/service/ecs/optimized-ami/amazon-linux-2/"
                                + "recommended/image_id\"; an ECS-optimized image of another operating system; the "
                                + "compute environments are ECS_AL2023 (Amazon Linux 2023), and the hosts' user data "
                                + "is written for it; expected " + AmiSource.RECOMMENDED_X86_64),
                List.of("amiSsmParameter", AmiSource.RECOMMENDED_ARM64, "genomics-batch:amiSsmParameter: got \""
                        + AmiSource.RECOMMENDED_ARM64 + "\"; an arm64 image, but genomics-batch:instanceTypes are "
                        + "x86_64; expected " + AmiSource.RECOMMENDED_X86_64),
                List.of("amiSsmParameter", AmiSource.RECOMMENDED_GPU, "genomics-batch:amiSsmParameter: got \""
                        + AmiSource.RECOMMENDED_GPU + "\"; AWS's GPU image; the GPU compute environment takes it "
                        + "through genomics-batch:gpuAmiSsmParameter"),
                List.of("amiSsmParameter", aws + "inf/recommended/image_id", "genomics-batch:amiSsmParameter: got \""
                        + aws + "inf/recommended/image_id\"; AWS's Neuron (Inferentia, Trainium) image"),
                List.of("gpuAmiSsmParameter", AmiSource.RECOMMENDED_X86_64, "genomics-batch:gpuAmiSsmParameter: got \""
                        + AmiSource.RECOMMENDED_X86_64 + "\"; AWS's image without the NVIDIA driver, and the GPU "
                        + "compute environment needs it; expected " + AmiSource.RECOMMENDED_GPU
                        + " or a parameter of your own"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void badInputIsRefusedBeforeAnythingIsRegistered(List<String> c) {
        var recording = run("dev", Map.of(c.get(0), c.get(1), "gpuMaxVcpus", "8"));
        var problems = invalidConfig(recording).problems();
        assertThat(problems).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m).startsWith(c.get(2)));
        assertThat(recording.resources()).isEmpty();
    }

    @Test
    void anIdAndAParameterForOneEnvironmentOrAGpuKeyWithoutGpuAreRefused() {
        var both = run("dev", Map.of("amiId", APPROVED_X86_64_AMI, "amiSsmParameter", APPROVED_PARAMETER));
        assertThat(invalidConfig(both).problems()).extracting(ConfigProblem::message).containsExactly(
                "genomics-batch:amiId and genomics-batch:amiSsmParameter are both set; set one: amiId pins an approved "
                        + "image, amiSsmParameter follows a parameter's value");
        var noGpu = run("dev", Map.of("gpuAmiSsmParameter", AmiSource.RECOMMENDED_GPU, "gpuAmiId", RECOMMENDED_GPU_AMI));
        assertThat(invalidConfig(noGpu).problems()).extracting(ConfigProblem::message).contains(
                "genomics-batch:gpuAmiId: got \"" + RECOMMENDED_GPU_AMI + "\"; there is no GPU compute environment "
                        + "(genomics-batch:gpuMaxVcpus is 0): set gpuMaxVcpus, or leave gpuAmiId unset",
                "genomics-batch:gpuAmiSsmParameter: got \"" + AmiSource.RECOMMENDED_GPU + "\"; there is no GPU compute "
                        + "environment (genomics-batch:gpuMaxVcpus is 0): set gpuMaxVcpus, or leave gpuAmiSsmParameter "
                        + "unset");
        assertThat(noGpu.resources()).isEmpty();
    }

    @Test
    void formatsAwsIssuesAreAccepted() {
        for (var ok : List.of(Map.of("amiId", "ami-12345678"), Map.of("amiId", "ami-0123456789abcdef0"),
                Map.of("amiSsmParameter", "/" + String.join("/", java.util.Collections.nCopies(15, "L_1.-x"))),
                Map.of("amiSsmParameter", AmiSource.AWS_ECS_AL2023 + "al2023-ami-ecs-hvm-2023.0.20240109-kernel-6.1"
                        + "-x86_64/image_id"))) {
            var settings = io.genomicsbatch.config.ConfigReader.read(ConfigSource.of(ok));
            assertThat(settings.problems()).as(ok.toString()).isEmpty();
        }
    }

    @Test
    void thePlanSaysWhatANewImageDoesToEachEnvironment() {
        var plan = PlanEngine.run(FIXTURE, () -> StackFiles.load(PROJECT, FIXTURE),
                f -> ctx -> io.genomicsbatch.App.deploy(ctx, f.source()));
        var text = io.genomicsbatch.plan.PlanRenderer.render(plan, io.genomicsbatch.plan.PlanRenderer.Format.TEXT);
        assertThat(text).contains("  spot: SSM parameter " + AmiSource.RECOMMENDED_X86_64 + " (read at each preview) "
                        + "(amiPinning)\n    a new image REPLACES this compute environment: SPOT_PRICE_CAPACITY_OPTIMIZED"
                        + " is not updated in place by pulumi-aws 6.83.0",
                "  on-demand: SSM parameter " + AmiSource.RECOMMENDED_X86_64 + " (read at each preview) (amiPinning)\n"
                        + "    a new image updates it in place (BEST_FIT_PROGRESSIVE)",
                "  gpu: SSM parameter " + AmiSource.RECOMMENDED_GPU + " (read at each preview) (amiPinning)\n"
                        + "    a new image updates it in place (BEST_FIT_PROGRESSIVE)");
        var json = com.google.gson.JsonParser.parseString(io.genomicsbatch.plan.PlanRenderer.render(plan,
                io.genomicsbatch.plan.PlanRenderer.Format.JSON)).getAsJsonObject();
        var amis = json.getAsJsonArray("amis");
        assertThat(amis).hasSize(3);
        assertThat(amis.get(0).getAsJsonObject().get("onNewImage").getAsString()).isEqualTo("replace");
        assertThat(amis.get(1).getAsJsonObject().get("onNewImage").getAsString()).isEqualTo("update");
        assertThat(amis.get(2).getAsJsonObject().get("ssmParameter").getAsString()).isEqualTo(AmiSource.RECOMMENDED_GPU);
        // The placeholder AMI IDs: well-formed, one per parameter, the same on every run, and listed as placeholders.
        var spot = plan.resource("genomics-batch-spot").orElseThrow();
        var gpu = plan.resource("genomics-batch-gpu").orElseThrow();
        var spotAmi = (String) ((Map<?, ?>) ((List<?>) TestStacks.input(spot, "computeResources", "ec2Configurations"))
                .get(0)).get("imageIdOverride");
        var gpuAmi = (String) ((Map<?, ?>) ((List<?>) TestStacks.input(gpu, "computeResources", "ec2Configurations"))
                .get(0)).get("imageIdOverride");
        assertThat(List.of(spotAmi, gpuAmi)).allSatisfy(a -> assertThat(a).matches("ami-0000[0-9a-f]{13}"));
        assertThat(spotAmi).isNotEqualTo(gpuAmi);
        assertThat(plan.lookups()).anySatisfy(l -> assertThat(l.answer()).isEqualTo(AmiSource.RECOMMENDED_X86_64
                + " = " + spotAmi) .satisfies(a -> assertThat(l.source()).startsWith("placeholder AMI ID")));
        var again = PlanEngine.run(FIXTURE, () -> StackFiles.load(PROJECT, FIXTURE),
                f -> ctx -> io.genomicsbatch.App.deploy(ctx, f.source()));
        assertThat(io.genomicsbatch.plan.PlanRenderer.render(again, io.genomicsbatch.plan.PlanRenderer.Format.TEXT))
                .isEqualTo(text);
    }

    @Test
    void withoutPinningThePlanHasNoAmiSection() {
        var plan = PlanEngine.run("dev", () -> StackFiles.load(TestStacks.PROJECT_DIR, "dev"),
                f -> ctx -> io.genomicsbatch.App.deploy(ctx, f.source()));
        assertThat(plan.amis()).isEmpty();
        assertThat(io.genomicsbatch.plan.PlanRenderer.render(plan, io.genomicsbatch.plan.PlanRenderer.Format.TEXT))
                .doesNotContain("Pinned AMIs");
        assertThat(io.genomicsbatch.plan.PlanRenderer.render(plan, io.genomicsbatch.plan.PlanRenderer.Format.JSON))
                .doesNotContain("\"amis\"");
    }
}
