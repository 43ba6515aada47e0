package io.genomicsbatch.compute;

import io.genomicsbatch.GenomicsBatchEnvironment;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.config.SettingsValidator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launch template's user data, decoded: MIME structure, the bundled scripts, the environment's values, size. */
class UserDataTest {

    static final Settings.Hosts HOSTS = new Settings.Hosts(30, "2.36.7", "https://awscli.amazonaws.com");
    static final UserData.Host DEV = new UserData.Host("genomics-batch-dev", new Settings.Storage(100, 3000, 250, 1000),
            HOSTS);

    /** The MIME document split at its boundary: headers and body of each part. */
    record Part(String headers, String body) {
    }

    static List<Part> parts(String mime) {
        var boundary = Pattern.compile("boundary=\"([^\"]+)\"").matcher(mime);
        assertThat(boundary.find()).as("multipart boundary").isTrue();
        var delimiter = "--" + boundary.group(1);
        assertThat(mime).endsWith(delimiter + "--\n");
        var chunks = mime.substring(0, mime.lastIndexOf(delimiter + "--")).split(Pattern.quote(delimiter + "\n"));
        var parts = new ArrayList<Part>();
        for (var i = 1; i < chunks.length; i++) {
            var split = chunks[i].indexOf("\n\n");
            parts.add(new Part(chunks[i].substring(0, split), chunks[i].substring(split + 2)));
        }
        return parts;
    }

    /** Lines that are code (not blank, not whole-line comments), in order. */
    static List<String> codeLines(String script) {
        return script.lines().filter(l -> !l.isBlank() && !(l.strip().startsWith("#") && !l.startsWith("#!")))
                .toList();
    }

    @Test
    void isMimeMultipartWithOneShellScriptPartThatCarriesEveryScript() {
        var mime = new String(Base64.getDecoder().decode(UserData.base64(DEV)), StandardCharsets.US_ASCII);
        // AWS Batch: launch template user data must be MIME multi-part, or the compute environment goes INVALID.
        assertThat(mime).startsWith("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=");
        var parts = parts(mime);
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).headers()).contains("Content-Type: text/x-shellscript");
        assertThat(parts.get(0).body()).startsWith("#!/bin/bash\n").contains("exec bash \"$d/lib.sh\" boot");
        // lib.sh runs the parts sorted by file name: the list must already be in that order.
        assertThat(UserData.PARTS).isSorted();
        var files = UserData.files(mime);
        assertThat(files.keySet()).containsExactlyElementsOf(DEV.files());
        assertThat(DEV.files()).startsWith(UserData.LIBRARY);
        files.forEach((name, text) -> assertThat(text).as(name).isEqualTo(UserData.delivered(name, DEV))
                .startsWith("#!/bin/bash\n"));
    }

    @Test
    void theBundleIsOrdinaryGzipAndTheSameSettingsGiveTheSameBytes() throws IOException {
        var compressed = UserData.gzip("hello\n".repeat(100));
        // What Python's zlib.decompress(data, 31) on the host reads: a standard gzip member (magic, deflate, CRC-32, size).
        try (var in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello\n".repeat(100));
        }
        // No time or file name in the header: the launch template changes only with the settings.
        assertThat(compressed[4] | compressed[5] | compressed[6] | compressed[7]).isZero();
        assertThat(UserData.mime(DEV)).isEqualTo(UserData.mime(new UserData.Host("genomics-batch-dev",
                new Settings.Storage(100, 3000, 250, 1000), HOSTS)));
    }

    @Test
    void theBundleTravelsAsPythonsBase85() {
        // Python's own base64.b85encode of these bytes: what the host's python3 -c decodes.
        var vectors = new java.util.LinkedHashMap<String, String>();
        vectors.put("", "");
        vectors.put("h", "Xa");
        vectors.put("he", "Xk`");
        vectors.put("hel", "Xk}~");
        vectors.put("hell", "Xk~0{");
        vectors.put("hello", "Xk~0{Zv");
        vectors.forEach((plain, encoded) -> {
            assertThat(UserData.base85Lines(plain.getBytes(StandardCharsets.US_ASCII))).as(plain).isEqualTo(encoded);
            assertThat(UserData.base85Decode(encoded)).as(encoded).isEqualTo(plain.getBytes(StandardCharsets.US_ASCII));
        });
        assertThat(UserData.base85Lines(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8})).isEqualTo("009C61O)~M2m");
        assertThat(UserData.base85Lines(new byte[] {-1, -1, -1, -1, -1})).isEqualTo("|NsC0{{");
        var random = new java.util.Random(85);
        for (var n = 0; n < 64; n++) {
            var bytes = new byte[n * 37];
            random.nextBytes(bytes);
            var text = UserData.base85Lines(bytes);
            assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
            assertThat(UserData.base85Decode(text.replace("\n", ""))).isEqualTo(bytes);
        }
        // A host with a shared file system decodes with Python, which every cloud-init host runs on; no quote can
        // end the -c program.
        var efs = new UserData.Host(DEV.environmentTag(), DEV.storage(), DEV.hosts(), DEV.cliKey(), java.util.Optional.of(
                new UserData.SharedMount(io.genomicsbatch.config.FileSystemType.EFS,
                        "fs-0123456789abcdef0.efs.us-east-1.amazonaws.com:/", "/mnt/shared")));
        var part = parts(UserData.mime(efs)).get(0).body();
        assertThat(part).contains("python3 -c 'import base64,sys,zlib\n", "base64.b85decode(", "zlib.decompress(",
                "<<'GB_BUNDLE' | bash && exec bash \"$d/lib.sh\" boot\n");
        assertThat(UserData.files(UserData.mime(efs))).containsKey(UserData.SHARED_FILE_SYSTEM_PART);
        // Every other host keeps base64, as before the shared file system: the same launch template as then.
        assertThat(parts(UserData.mime(DEV)).get(0).body())
                .contains("base64 -d <<'GB_BUNDLE' | gzip -dc | bash && exec bash \"$d/lib.sh\" boot\n")
                .doesNotContain("python3");
        assertThat(UserData.files(UserData.mime(DEV))).doesNotContainKey(UserData.SHARED_FILE_SYSTEM_PART);
        assertThat(UserData.BASE85).doesNotContain("'", "\"", "\\", " ");
    }

    @Test
    void everyScriptInTheResourceDirectoryIsDelivered() throws IOException {
        try (var files = Files.list(Path.of("src/main/resources/io/genomicsbatch/compute"))) {
            var expected = new ArrayList<>(DEV.files());
            expected.add(UserData.UNPACKER);
            expected.add(UserData.UNPACKER_BASE85);
            expected.add(UserData.SHARED_FILE_SYSTEM_PART);
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sh")))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void deliveredScriptsKeepEveryLineOfCodeAndEveryHereDocument() {
        for (var file : DEV.files()) {
            var source = UserData.script(file).replaceAll("@[A-Z_]+@", "X");
            var delivered = UserData.delivered(file, DEV).replaceAll("(?m)^(GB_[A-Z_]+=).*$", "$1X");
            if (file.equals(UserData.PARTS.get(0))) {
                // The signing key's block stands in the first part's here-document instead of @CLI_KEY@.
                delivered = delivered.replace(UserData.CliSigningKey.AWS.armored(), "X").replaceAll("--on-boot=\\d+min",
                        "--on-boot=Xmin");
            }
            assertThat(codeLines(delivered)).as(file).isEqualTo(codeLines(source));
        }
        assertThat(UserData.withoutComments("a\n  # note\ncat <<'X'\n# kept\nX\n# dropped\nb <<< \"$v\"\n# gone\n"))
                .isEqualTo("a\ncat <<'X'\n# kept\nX\nb <<< \"$v\"\n");
        // Here-documents are content: the script a task runs keeps its first lines.
        assertThat(UserData.delivered("30-host-tools.sh", DEV)).contains("<<'FETCH'\n#!/bin/bash\nset -euo pipefail\n");
    }

    @Test
    void firstPartCarriesTheEnvironmentsValuesAndTheSigningKey() {
        var env = UserData.delivered("00-host-env.sh", DEV);
        assertThat(env).contains("GB_TAG_KEY=" + UserData.TAG_KEY + "\n", "GB_TAG_VALUE=genomics-batch-dev\n",
                "GB_INITIAL_GIB=100\n", "GB_IOPS=3000\n", "GB_THROUGHPUT=250\n", "GB_MAX_GIB=1000\n",
                "GB_ROOT_DEVICE=" + HostLaunchTemplate.ROOT_DEVICE + "\n",
                "GB_EBS_DEVICE=" + HostLaunchTemplate.SCRATCH_DEVICE + "\n", "GB_DATA_DIR=" + UserData.DATA_DIR + "\n",
                "GB_MIN_FREE_PERCENT=" + UserData.MIN_FREE_PERCENT + "\n", "GB_BOOT_TIMEOUT_MINUTES=30\n",
                "GB_CLI_URL=https://awscli.amazonaws.com\n", "GB_CLI_VERSION=2.36.7\n",
                "GB_CLI_FINGERPRINT=FB5DB77FD5C118B80511ADA8A6310ACC4672475C\n",
                "--on-boot=30min", UserData.CliSigningKey.AWS.armored() + "\nKEY\n");
        // Other settings, another document.
        assertThat(UserData.mime(DEV)).isNotEqualTo(UserData.mime(new UserData.Host("genomics-batch-dev",
                DEV.storage(), new Settings.Hosts(45, "2.36.7", "https://awscli.amazonaws.com"))));
        assertThatThrownBy(() -> new UserData.Host("bad value;rm", DEV.storage(), HOSTS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAwsCliKeysFingerprintIsTheKeysOwn() {
        var aws = UserData.CliSigningKey.AWS;
        assertThat(OpenPgp.fingerprint(aws.armored())).isEqualTo(aws.fingerprint());
        assertThatThrownBy(() -> new UserData.CliSigningKey(aws.armored(), "FB5D B77F"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fitsItsBudgetWithBatchsPartMergedIn() {
        var merged = BatchPart.merge(UserData.mime(DEV));
        assertThat(merged).contains("ECS_CLUSTER=");
        var raw = merged.getBytes(StandardCharsets.US_ASCII).length;
        assertThat(raw - UserData.mime(DEV).length()).isEqualTo(BatchPart.BYTES);
        assertThat(raw).as("raw user data bytes with Batch's part").isLessThanOrEqualTo(UserData.BUDGET_BYTES);
    }

    @Test
    void fitsEc2sLimitWithTheLongestValuesTheConfigAllows() {
        // Values that compress badly (as real names and URLs do), at the longest the config allows.
        var random = new java.util.Random(16384);
        var noise = (java.util.function.IntFunction<String>) n -> random.ints(n, 'a', 'z' + 1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        var longest = new UserData.Host(noise.apply(GenomicsBatchEnvironment.Args.MAX_NAME_PREFIX),
                new Settings.Storage(65_536, 80_000, 1_000, 655_360),
                new Settings.Hosts(SettingsValidator.MAX_BOOT_TIMEOUT_MINUTES, "2.9999.9999",
                        "https://" + noise.apply(SettingsValidator.MAX_AWS_CLI_URL_LENGTH - "https://".length())));
        var raw = BatchPart.merge(UserData.mime(longest)).getBytes(StandardCharsets.US_ASCII).length;
        assertThat(raw).as("raw user data bytes with Batch's part").isLessThanOrEqualTo(UserData.MAX_BYTES);
    }

    @Test
    void theFailureMetricIsTheOneTheInstanceRoleMayPut() {
        // lib.sh spells the namespace and name out; IAM's condition and the docs use these constants.
        assertThat(UserData.delivered(UserData.LIBRARY, DEV))
                .contains("-d Namespace=" + UserData.METRIC_NAMESPACE + " ")
                .contains("-d MetricData.member.1.MetricName=" + UserData.PROVISIONING_FAILED_METRIC + " ");
    }

    @Test
    void appendsEcsAgentSettingsAndNeverOverwritesTheFile() {
        var script = UserData.script("10-ecs-agent.sh");
        assertThat(script).contains(">> \"${GB_ROOT:-}/etc/ecs/ecs.config\"");
        // Batch writes ECS_CLUSTER to the same file: a single '>' would leave the host outside the cluster.
        assertThat(Pattern.compile("(^|[^>])>\\s*\"?[^\"]*/etc/ecs/ecs\\.config").matcher(script).find()).isFalse();
        assertThat(script).contains("ECS_ENABLE_SPOT_INSTANCE_DRAINING=true")
                .contains("ECS_IMAGE_PULL_BEHAVIOR=prefer-cached")
                .contains("ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION=")
                .contains("ECS_IMAGE_CLEANUP_INTERVAL=");
    }

    @Test
    void containsNoSecrets() {
        // Checkov CKV_AWS_46: no secrets in user data, compressed or not.
        var mime = UserData.mime(DEV);
        assertThat(mime).doesNotContainPattern("(?i)(AKIA[0-9A-Z]{16}|secret|password|token=)");
        UserData.files(mime).forEach((name, text) -> assertThat(text).as(name)
                .doesNotContainPattern("AKIA[0-9A-Z]{16}|aws_secret_access_key|password"));
    }
}
