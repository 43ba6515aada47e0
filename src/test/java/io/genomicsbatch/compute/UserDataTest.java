package io.genomicsbatch.compute;

import io.genomicsbatch.config.Settings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launch template's user data, decoded: MIME structure, the environment's values, size. */
class UserDataTest {

    static final UserData.Host DEV = new UserData.Host("genomics-batch-dev", new Settings.Storage(100, 3000, 250, 1000));

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
    void isMimeMultipartSoBatchCanMergeIt() {
        var mime = new String(Base64.getDecoder().decode(UserData.base64(DEV)), StandardCharsets.US_ASCII);
        // AWS Batch: launch template user data must be MIME multi-part, or the compute environment goes INVALID.
        assertThat(mime).startsWith("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=");
        var parts = parts(mime);
        assertThat(parts).hasSize(UserData.PARTS.size());
        // cloud-init runs the parts sorted by file name: the list must already be in that order.
        assertThat(UserData.PARTS).isSorted();
        for (var i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i).headers()).contains("Content-Type: text/x-shellscript")
                    .contains("filename=\"" + UserData.PARTS.get(i) + "\"");
            assertThat(parts.get(i).body()).isEqualTo(UserData.delivered(UserData.PARTS.get(i), DEV))
                    .startsWith("#!/bin/bash\n");
        }
    }

    @Test
    void everyScriptInTheResourceDirectoryIsAPart() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/io/genomicsbatch/compute"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sh")))
                    .containsExactlyInAnyOrderElementsOf(UserData.PARTS);
        }
    }

    @Test
    void deliveredPartsKeepEveryLineOfCodeAndEveryHereDocument() {
        for (var part : UserData.PARTS) {
            var source = UserData.script(part).replaceAll("@[A-Z_]+@", "X");
            var delivered = UserData.delivered(part, DEV).replaceAll("(?m)^(GB_[A-Z_]+=).*$", "$1X");
            assertThat(codeLines(delivered)).as(part).isEqualTo(codeLines(source));
        }
        // Lines starting with '#' inside here-documents are content, not comments: kept.
        var tools = UserData.delivered("30-host-tools.sh", DEV);
        assertThat(tools).contains("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF2Cr7UBEAD")
                .contains("=knv7\n-----END PGP PUBLIC KEY BLOCK-----\nKEY\n")
                .contains("<<'FETCH'\n#!/bin/bash\n# Cromwell");
        assertThat(UserData.withoutComments("a\n  # note\ncat <<'X'\n# kept\nX\n# dropped\nb <<< \"$v\"\n# gone\n"))
                .isEqualTo("a\ncat <<'X'\n# kept\nX\nb <<< \"$v\"\n");
    }

    @Test
    void firstPartCarriesTheEnvironmentsValues() {
        var env = UserData.delivered("00-host-env.sh", DEV);
        assertThat(env).contains("GB_TAG_KEY=" + UserData.TAG_KEY + "\n", "GB_TAG_VALUE=genomics-batch-dev\n",
                "GB_INITIAL_GIB=100\n", "GB_IOPS=3000\n", "GB_THROUGHPUT=250\n", "GB_MAX_GIB=1000\n",
                "GB_EBS_DEVICE=" + HostLaunchTemplate.SCRATCH_DEVICE + "\n", "GB_DATA_DIR=" + UserData.DATA_DIR + "\n",
                "GB_MIN_FREE_PERCENT=" + UserData.MIN_FREE_PERCENT + "\n");
        // Deterministic: the same settings give the same document, other settings another.
        assertThat(UserData.mime(DEV)).isEqualTo(UserData.mime(
                new UserData.Host("genomics-batch-dev", new Settings.Storage(100, 3000, 250, 1000))));
        assertThat(UserData.mime(DEV)).isNotEqualTo(UserData.mime(
                new UserData.Host("genomics-batch-dev", new Settings.Storage(100, 3000, 250, 2000))));
        assertThatThrownBy(() -> new UserData.Host("bad value;rm", DEV.storage()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fitsEc2sSixteenKilobytesWithTheLongestValues() {
        var longest = new UserData.Host("x".repeat(64), new Settings.Storage(65_536, 80_000, 1_000, 655_360));
        var raw = UserData.mime(longest).getBytes(StandardCharsets.US_ASCII).length;
        assertThat(raw).as("raw user data bytes").isLessThanOrEqualTo(UserData.MAX_BYTES);
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
    void everyPartStopsOnErrors() {
        // What each part does is tested by running it (src/test/bats); here only that none runs on after a failure.
        for (var part : UserData.PARTS) {
            var script = UserData.script(part);
            assertThat(script.contains("set -euo pipefail") || script.contains("fail_closed")
                    || script.contains("set -Eeuo pipefail")).as(part).isTrue();
        }
    }

    @Test
    void containsNoSecrets() {
        // Checkov CKV_AWS_46: no secrets in user data.
        assertThat(UserData.mime(DEV)).doesNotContainPattern("(?i)(AKIA[0-9A-Z]{16}|secret|password|token=)");
    }
}
