package io.genomicsbatch.examples.submitjobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the job's real shell command with /bin/sh, a stand-in bwa-mem2 and a
 * temporary directory in place of the host's /scratch, to show that the job
 * works in, and then removes, its own per-job directory.
 */
class JobScriptTest {

    private static final String JOB_ID = "5d1e2c3b-job";

    @TempDir
    Path tmp;
    private Path scratch;
    private Path bin;
    private String script;

    private record Run(int exitCode, String stderr) {
    }

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        scratch = Files.createDirectories(tmp.resolve("scratch"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        // Prints where and how it ran, so the test can see the working directory.
        var fake = bin.resolve("bwa-mem2");
        Files.writeString(fake, """
                #!/bin/sh
                echo "cwd=$(pwd) tmpdir=$TMPDIR args=$*"
                if [ -n "${FAIL:-}" ]; then exit 7; fi
                """);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));

        var props = JsonParser.parseString(App.containerProperties("arn:aws:iam::1:role/r", "/aws/batch/genomics-batch-dev")).getAsJsonObject();
        var shipped = props.getAsJsonArray("command").get(2).getAsString();
        assertThat(shipped).contains("\"/scratch/${AWS_BATCH_JOB_ID");
        script = shipped.replace("\"/scratch/", "\"" + scratch + "/");
    }

    private Run run(Map<String, String> env, String... parameters) throws Exception {
        var command = new ArrayList<>(List.of("/bin/sh", "-c", script, "bwa-mem2-align"));
        command.addAll(List.of(parameters));
        // Start outside the work tree, so a script that forgets to cd leaves nothing behind.
        var pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("THREADS", "4");
        pb.environment().remove("AWS_BATCH_JOB_ID");
        pb.environment().putAll(env);
        var process = pb.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("script finished").isTrue();
        return new Run(process.exitValue(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void alignsInsideAPerJobDirectoryAndRemovesIt() throws Exception {
        var out = tmp.resolve("results");
        var run = run(Map.of("AWS_BATCH_JOB_ID", JOB_ID), "/ref/GRCh38.fa", "/in/r1.fq.gz", "/in/r2.fq.gz",
                out.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        var jobDir = scratch.resolve(JOB_ID);
        assertThat(Files.readString(out.resolve(JOB_ID + ".sam")).strip()).isEqualTo(
                "cwd=" + jobDir + " tmpdir=" + jobDir + " args=mem -t 4 /ref/GRCh38.fa /in/r1.fq.gz /in/r2.fq.gz");
        assertThat(jobDir).doesNotExist();
        assertThat(scratch).isDirectory();
    }

    @Test
    void removesThePerJobDirectoryWhenTheAlignerFails() throws Exception {
        var out = tmp.resolve("results");
        var run = run(Map.of("AWS_BATCH_JOB_ID", JOB_ID, "FAIL", "1"), "ref.fa", "r1.fq", "r2.fq", out.toString());

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(scratch.resolve(JOB_ID)).doesNotExist();
        assertThat(out).doesNotExist();
    }

    @Test
    void rejectsAParameterThatWasNotSubmitted() throws Exception {
        // Batch leaves "Ref::reads2" in place when submit-job does not set reads2.
        var run = run(Map.of("AWS_BATCH_JOB_ID", JOB_ID), "ref.fa", "r1.fq", "Ref::reads2", "out");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("missing job parameter: reads2");
        assertThat(scratch).isEmptyDirectory();
    }

    @Test
    void refusesToRunOutsideBatch() throws Exception {
        var run = run(Map.of(), "ref.fa", "r1.fq", "r2.fq", "out");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("AWS_BATCH_JOB_ID is not set");
        assertThat(scratch).isEmptyDirectory();
    }
}
