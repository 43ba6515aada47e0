package io.genomicsbatch.plan;

import com.pulumi.Context;
import com.pulumi.core.Alias;
import com.pulumi.resources.CustomTimeouts;
import com.pulumi.resources.Resource;
import com.pulumi.resources.ResourceOptions;
import com.pulumi.resources.ResourceTransformation;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.internal.PulumiTestInternal;
import com.pulumi.deployment.internal.DeploymentImpl;
import com.pulumi.deployment.internal.Runner;
import io.genomicsbatch.config.ConfigKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs a Pulumi program under the SDK's mock engine and records what it registers: each resource
 * with the inputs the provider would get and the options it was given (seen through a stack
 * transformation), the stack outputs, and what the program logged as warnings. {@code answers}
 * supply what AWS would return.
 */
public final class Recorder {
    private Recorder() {
    }

    /**
     * What a run registered, in registration order, and how it ended.
     *
     * @param exceptions what the program threw (empty when it succeeded)
     */
    public record Recording(List<PlannedResource> resources, Map<String, Object> outputs, List<String> warnings,
                            List<Exception> exceptions) {
    }

    private static final String STACK_TYPE = "pulumi:pulumi:Stack";

    private record Registration(Resource resource, ResourceOptions options) {
    }

    public static Recording run(String stack, Mocks answers, Consumer<Context> program) {
        var inputs = new ConcurrentHashMap<String, Map<String, Object>>();
        Mocks recording = new Mocks() {
            @Override
            public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
                inputs.put(args.type + "::" + args.name, args.inputs);
                return answers.newResourceAsync(args);
            }

            @Override
            public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
                return answers.callAsync(args);
            }
        };
        var registrations = Collections.synchronizedList(new ArrayList<Registration>());
        ResourceTransformation record = args -> {
            registrations.add(new Registration(args.resource(), args.options()));
            return Optional.empty();
        };
        var warnings = Collections.synchronizedList(new ArrayList<String>());
        var capture = new WarningCapture(warnings);
        var root = Logger.getLogger("");
        var previousHandlers = root.getHandlers();
        for (var h : previousHandlers) {
            root.removeHandler(h);
        }
        root.addHandler(capture);
        try {
            var result = PulumiTestInternal.builder()
                    .options(TestOptions.builder()
                            .projectName(ConfigKey.NAMESPACE)
                            .stackName(stack)
                            .preview(false)
                            .resourceTransformations(List.of(record))
                            .build())
                    .mocks(recording)
                    .deploymentFactory(state -> {
                        state.runner = runner(state.runner);
                        return new DeploymentImpl(state);
                    })
                    .build()
                    .runTest(program);
            var outputs = new LinkedHashMap<String, Object>();
            if (result.exceptions().isEmpty()) {
                result.outputs().forEach((name, output) -> outputs.put(name, PulumiTest.extractValue(output)));
            }
            var resources = new ArrayList<PlannedResource>();
            synchronized (registrations) {
                for (var r : registrations) {
                    if (!r.resource().pulumiResourceType().equals(STACK_TYPE)) {
                        resources.add(planned(r, inputs));
                    }
                }
            }
            synchronized (warnings) {
                return new Recording(resources, outputs, List.copyOf(warnings), List.copyOf(result.exceptions()));
            }
        } finally {
            root.removeHandler(capture);
            for (var h : previousHandlers) {
                root.addHandler(h);
            }
            PulumiTest.cleanup();
        }
    }

    /** {@link SettlingRunner} around the SDK's runner, unless {@link PlanEngine#RUNNER_PROPERTY} asks for the SDK's own. */
    static Runner runner(Runner sdk) {
        return PlanEngine.settles() ? new SettlingRunner(sdk) : sdk;
    }

    private static PlannedResource planned(Registration r, Map<String, Map<String, Object>> inputs) {
        var resource = r.resource();
        var options = r.options();
        var dependsOn = PulumiTest.extractValue(options.getDependsOn());
        return new PlannedResource(
                resource.pulumiResourceType(),
                resource.pulumiResourceName(),
                options.getParent().filter(p -> !p.pulumiResourceType().equals(STACK_TYPE))
                        .map(Resource::pulumiResourceName),
                inputs.getOrDefault(resource.pulumiResourceType() + "::" + resource.pulumiResourceName(), Map.of()),
                options.isProtect(),
                dependsOn == null ? List.of() : dependsOn.stream().map(Resource::pulumiResourceName).toList(),
                List.copyOf(options.getIgnoreChanges()),
                timeouts(options.getCustomTimeouts()),
                options.getAliases().stream().map(a -> alias(PulumiTest.extractValue(a), resource)).toList());
    }

    /** An alias as the engine reads it: what it leaves unset is the resource's own. */
    private static String alias(Alias alias, Resource resource) {
        if (alias.getUrn().isPresent()) {
            return alias.getUrn().get();
        }
        var out = new StringBuilder(alias.getName().map(PulumiTest::extractValue)
                .orElse(resource.pulumiResourceName()));
        alias.getType().map(PulumiTest::extractValue).ifPresent(t -> out.append(" (type ").append(t).append(')'));
        alias.getParent().ifPresent(p -> out.append(" (parent ").append(p.pulumiResourceName()).append(')'));
        alias.getParentUrn().map(PulumiTest::extractValue).ifPresent(u -> out.append(" (parent ").append(u).append(')'));
        if (alias.hasNoParent()) {
            out.append(" (no parent)");
        }
        alias.getStack().map(PulumiTest::extractValue).ifPresent(s -> out.append(" (stack ").append(s).append(')'));
        alias.getProject().map(PulumiTest::extractValue).ifPresent(p -> out.append(" (project ").append(p).append(')'));
        return out.toString();
    }

    private static Map<String, String> timeouts(Optional<CustomTimeouts> timeouts) {
        var out = new java.util.LinkedHashMap<String, String>();
        timeouts.ifPresent(t -> {
            // As the SDK sends them to the engine (Go durations).
            t.getCreate().ifPresent(d -> out.put("create", CustomTimeouts.golangString(Optional.of(d))));
            t.getUpdate().ifPresent(d -> out.put("update", CustomTimeouts.golangString(Optional.of(d))));
            t.getDelete().ifPresent(d -> out.put("delete", CustomTimeouts.golangString(Optional.of(d))));
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Collects what the program logs at WARNING (ctx.log().warn) instead of printing it. */
    private static final class WarningCapture extends Handler {
        private final List<String> warnings;

        WarningCapture(List<String> warnings) {
            this.warnings = warnings;
            setLevel(Level.WARNING);
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() == Level.WARNING.intValue() && record.getMessage() != null) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
            // nothing buffered
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
