package io.genomicsbatch.plan;

import com.pulumi.deployment.internal.Runner;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The SDK's runner, with the program's tasks awaited before the runner's own wait starts. The
 * SDK 1.36.1 runner waits by re-submitting a check to the default executor until no task is left;
 * on a 2-core machine each check starts a thread and formats the pending task list, which takes
 * a core away from the program for the whole run. Here the program's thread waits on the tasks
 * themselves, so the SDK's check finds them done; what is registered, and how failures are
 * reported, stays the SDK runner's.
 */
final class SettlingRunner implements Runner {
    private final Runner sdk;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    SettlingRunner(Runner sdk) {
        this.sdk = sdk;
    }

    @Override
    public <T> void registerTask(String name, CompletableFuture<T> task) {
        pending.add(task);
        task.whenComplete((value, error) -> pending.remove(task));
        sdk.registerTask(name, task);
    }

    @Override
    public <T> CompletableFuture<Result<T>> runAsync(Supplier<T> program) {
        return sdk.runAsync(() -> {
            var value = program.get();
            settle();
            return value;
        });
    }

    /** Waits until every registered task has ended, including tasks registered meanwhile. */
    private void settle() {
        for (var tasks = List.copyOf(pending); !tasks.isEmpty(); tasks = List.copyOf(pending)) {
            // Failures are the SDK runner's to report; here only the end of each task matters.
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
        }
    }
}
