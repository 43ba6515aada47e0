package io.genomicsbatch.compute;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The launch template's user data, decoded: MIME structure and what the host scripts do. */
class UserDataTest {

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

    @Test
    void isMimeMultipartSoBatchCanMergeIt() {
        var mime = new String(Base64.getDecoder().decode(UserData.base64()), StandardCharsets.US_ASCII);
        // AWS Batch: launch template user data must be MIME multi-part, or the compute environment goes INVALID.
        assertThat(mime).startsWith("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=");
        var parts = parts(mime);
        assertThat(parts).hasSize(UserData.PARTS.size());
        for (var i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i).headers()).contains("Content-Type: text/x-shellscript")
                    .contains("filename=\"" + UserData.PARTS.get(i) + "\"");
            assertThat(parts.get(i).body().strip()).isEqualTo(UserData.script(UserData.PARTS.get(i)).strip());
            assertThat(parts.get(i).body()).startsWith("#!/bin/bash\n");
        }
    }

    @Test
    void appendsEcsAgentSettingsAndNeverOverwritesTheFile() {
        var script = UserData.script("10-ecs-agent.sh");
        assertThat(script).contains(">> /etc/ecs/ecs.config");
        // Batch writes ECS_CLUSTER to the same file: a single '>' would leave the host outside the cluster.
        assertThat(Pattern.compile("(^|[^>])>\\s*/etc/ecs/ecs\\.config").matcher(script).find()).isFalse();
        assertThat(script).contains("ECS_ENABLE_SPOT_INSTANCE_DRAINING=true")
                .contains("ECS_IMAGE_PULL_BEHAVIOR=prefer-cached")
                .contains("ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION=")
                .contains("ECS_IMAGE_CLEANUP_INTERVAL=");
    }

    @Test
    void preparesTheScratchVolumeTheTemplateAttaches() {
        var script = UserData.script("20-scratch-volume.sh");
        assertThat(script).contains("device=" + HostLaunchTemplate.SCRATCH_DEVICE)
                .contains("mount_point=" + HostLaunchTemplate.SCRATCH_MOUNT)
                .contains("mkfs.xfs")
                // per-job subdirectories: anyone may create, only the owner may delete
                .contains("chmod 1777 \"$mount_point\"");
        assertThat(script).contains("set -euo pipefail");
    }

    @Test
    void containsNoSecrets() {
        // Checkov CKV_AWS_46: no secrets in user data.
        assertThat(UserData.mime()).doesNotContainPattern("(?i)(AKIA[0-9A-Z]{16}|secret|password|token=)");
    }
}
