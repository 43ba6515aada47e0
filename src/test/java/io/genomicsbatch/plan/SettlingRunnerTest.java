package io.genomicsbatch.plan;

import com.pulumi.deployment.internal.Runner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The plan's runner: the program's tasks have ended before the SDK runner's own wait begins. */
class SettlingRunnerTest {

    /** Stands in for the SDK runner: records the tasks it is given and what was done when the program returned. */
    static final class RecordingRunner implements Runner {
        final List<String> registered = Collections.synchronizedList(new ArrayList<>());
        final List<Boolean> doneWhenProgramReturned = new ArrayList<>();
        final List<CompletableFuture<?>> tasks = Collections.synchronizedList(new ArrayList<>());

        @Override
        public <T> void registerTask(String name, CompletableFuture<T> task) {
            registered.add(name);
            tasks.add(task);
        }

        @Override
        public <T> CompletableFuture<Result<T>> runAsync(Supplier<T> program) {
            return CompletableFuture.supplyAsync(() -> {
                var value = program.get();
                synchronized (tasks) {
                    tasks.forEach(t -> doneWhenProgramReturned.add(t.isDone()));
                }
                return new Result<T>(0, List.of(), Optional.ofNullable(value)) {
                };
            });
        }
    }

    @Test
    void theProgramReturnsToTheSdkRunnerOnlyWhenEveryTaskHasEnded() throws Exception {
        var sdk = new RecordingRunner();
        var runner = new SettlingRunner(sdk);
        var result = runner.runAsync(() -> {
            var slow = new CompletableFuture<String>();
            runner.registerTask("slow", slow);
            // A task that registers another one when it ends, as resource registrations do.
            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> {
                var follow = new CompletableFuture<String>();
                runner.registerTask("follow-up", follow);
                slow.complete("ok");
                CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() ->
                        follow.completeExceptionally(new IllegalStateException("failed")));
            });
            return "program";
        }).get(10, TimeUnit.SECONDS);

        assertThat(result.result()).contains("program");
        assertThat(sdk.registered).containsExactly("slow", "follow-up");
        // Failed tasks end too: reporting them is the SDK runner's job, waiting is not.
        assertThat(sdk.doneWhenProgramReturned).containsExactly(true, true);
        assertThat(sdk.tasks.get(1)).isCompletedExceptionally();
    }
}
