package io.genomicsbatch.plan;

import io.genomicsbatch.App;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The plan reads the stack files on a second thread while the mock engine starts. */
class PlanEngineTest {

    @Test
    void theProgramRunsOnWhatTheReaderReadWithTheFilesWarningsFirst() {
        var reader = new AtomicReference<Thread>();
        var plan = PlanEngine.run("dev", () -> {
            reader.set(Thread.currentThread());
            var dev = StackFiles.load(TestStacks.PROJECT_DIR, "dev");
            var warnings = new ArrayList<>(dev.warnings());
            warnings.add("noticed while reading");
            return new StackFiles(dev.stack(), dev.values(), dev.misplacedKeys(), warnings);
        }, files -> ctx -> {
            ctx.log().warn("logged by the program");
            App.deploy(ctx, files.source());
        });

        assertThat(reader.get()).isNotNull().isNotSameAs(Thread.currentThread());
        assertThat(plan.warnings()).containsSubsequence("noticed while reading", "logged by the program");
        // The lookups were answered from the region the reader found in Pulumi.dev.yaml.
        assertThat(plan.region()).contains("us-east-1");
        assertThat(plan.lookups()).extracting(Lookup::what, Lookup::answer).contains(
                tuple("region", "us-east-1"),
                tuple("AWS partition", "aws"));
        assertThat(plan.resource("genomics-batch-spot")).isPresent();
    }

    /** The bench's deployment-path variant: the SDK's own runner gives the same plan. */
    @Test
    void onTheSdksRunnerThePlanIsTheSame() {
        Supplier<Plan> dev = () -> PlanEngine.run("dev", () -> StackFiles.load(TestStacks.PROJECT_DIR, "dev"),
                files -> ctx -> App.deploy(ctx, files.source()));
        var sdkRunner = new SettlingRunnerTest.RecordingRunner();
        assertThat(Recorder.runner(sdkRunner)).isInstanceOf(SettlingRunner.class);
        var settled = dev.get();
        Plan onSdkRunner;
        System.setProperty(PlanEngine.RUNNER_PROPERTY, "sdk");
        try {
            assertThat(Recorder.runner(sdkRunner)).isSameAs(sdkRunner);
            onSdkRunner = dev.get();
        } finally {
            System.clearProperty(PlanEngine.RUNNER_PROPERTY);
        }
        assertThat(PlanRenderer.render(onSdkRunner, PlanRenderer.Format.JSON))
                .isEqualTo(PlanRenderer.render(settled, PlanRenderer.Format.JSON));
    }

    @Test
    void aFailureToReadIsThrownAsIsAndTheProgramNeverRuns(@TempDir Path empty) {
        var root = Logger.getLogger("");
        var handlersBefore = List.of(root.getHandlers());
        var programRan = new AtomicBoolean();

        assertThatThrownBy(() -> PlanEngine.run("dev", () -> StackFiles.load(empty, "dev"),
                files -> ctx -> programRan.set(true)))
                .isExactlyInstanceOf(StackFiles.StackFileException.class)
                .hasMessageStartingWith("no Pulumi.yaml in " + empty);

        assertThat(programRan).isFalse();
        assertThat(root.getHandlers()).containsExactlyElementsOf(handlersBefore);
    }
}
