package io.genomicsbatch.compute;

import io.genomicsbatch.App;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.plan.PlanEngine;
import io.genomicsbatch.support.TestStacks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.TreeMap;

/**
 * Test-only entry point of the boot test (.ci/boot-test): the user data of a stack's CPU launch
 * template, planned by the real program, as EC2 would get it from Batch (the {@link BatchPart}
 * stand-in merged in), with one change: the AWS CLI signing key swapped for the test's own, since
 * AWS's bundles cannot be downloaded here. No stack setting can do that swap.
 *
 * <pre>java -cp target/genomics-batch.jar:target/test-classes io.genomicsbatch.compute.BootUserData \
 *     --stack-file FILE --cli-key KEY.asc [--set key=value]... --out FILE</pre>
 * {@code --set} overrides a genomics-batch key of the stack file, validated as usual.
 */
public final class BootUserData {
    private BootUserData() {
    }

    static final String TEMPLATE = "genomics-batch-host-launch-template";

    public static void main(String[] args) throws IOException {
        Path stackFile = null;
        Path key = null;
        Path out = null;
        var overrides = new TreeMap<String, String>();
        for (var i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--stack-file" -> stackFile = Path.of(args[i + 1]);
                case "--cli-key" -> key = Path.of(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--set" -> {
                    var kv = args[i + 1].split("=", 2);
                    overrides.put("genomics-batch:" + kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (stackFile == null || key == null || out == null) {
            throw new IllegalArgumentException("usage: --stack-file FILE --cli-key KEY.asc [--set key=value]... --out FILE");
        }
        var armored = Files.readString(key, StandardCharsets.US_ASCII).strip();
        var merged = BatchPart.merge(withCliKey(planned(stackFile, overrides),
                new UserData.CliSigningKey(armored, OpenPgp.fingerprint(armored))));
        Files.writeString(out, merged, StandardCharsets.US_ASCII);
    }

    /** The launch template's user data as the program plans it for this stack file. */
    static String planned(Path stackFile, java.util.Map<String, String> overrides) throws IOException {
        var name = stackFile.getFileName().toString();
        var stack = name.replaceFirst("^Pulumi\\.", "").replaceFirst("\\.yaml$", "");
        var project = Files.createTempDirectory("genomics-batch-boot");
        try {
            TestStacks.project(project, stack, Files.readString(stackFile));
            var plan = PlanEngine.run(stack, () -> {
                var files = StackFiles.load(project, stack);
                var values = new TreeMap<>(files.values());
                values.putAll(overrides);
                return new StackFiles(stack, values, files.misplacedKeys(), files.warnings());
            }, files -> ctx -> App.deploy(ctx, files.source()));
            var template = plan.resources().stream().filter(r -> r.name().equals(TEMPLATE)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + TEMPLATE + " in the plan"));
            return new String(Base64.getDecoder().decode((String) template.inputs().get("userData")),
                    StandardCharsets.US_ASCII);
        } finally {
            try (var files = Files.walk(project)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The same document with another AWS CLI signing key in its first part. */
    static String withCliKey(String mime, UserData.CliSigningKey key) {
        var files = new LinkedHashMap<>(UserData.files(mime));
        var env = files.get(UserData.PARTS.get(0));
        var aws = UserData.CliSigningKey.AWS;
        if (!env.contains(aws.armored()) || !env.contains(aws.fingerprint())) {
            throw new IllegalStateException("the first part does not carry the AWS CLI team's key");
        }
        files.put(UserData.PARTS.get(0), env.replace(aws.armored(), key.armored()).replace(aws.fingerprint(),
                key.fingerprint()));
        return UserData.document(files);
    }
}
