package io.genomicsbatch.compute;

import io.genomicsbatch.config.Settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The launch template's user data: a MIME multipart document, the only form AWS Batch merges with
 * its own user data (anything else leaves the compute environment INVALID). Each part is a shell
 * script kept as a resource file, so it can be read, shellchecked and run by the boot-script tests
 * as it is. The first part carries this environment's values ({@link Host}); the same values always
 * give the same document, so the launch template changes only when they do.
 */
public final class UserData {
    private UserData() {
    }

    /** Script parts in the order cloud-init runs them (it sorts them by file name). */
    public static final List<String> PARTS = List.of("00-host-env.sh", "05-host-lib.sh", "10-ecs-agent.sh",
            "20-host-storage.sh", "30-host-tools.sh", "40-storage-growth.sh", "50-scratch-cleanup.sh",
            "90-release-ecs.sh");

    /** EC2's limit on user data, raw (before base64). */
    public static final int MAX_BYTES = 16_384;
    /** The tag that marks this environment's instances and data volumes; storage growth is scoped by it. */
    public static final String TAG_KEY = "genomics-batch-environment";
    /** Where the data file system is mounted; Docker's data root and /scratch are bind mounts of it. */
    public static final String DATA_DIR = "/var/lib/genomics-batch/data";
    /** Storage grows when less than this share of it is free. */
    public static final int MIN_FREE_PERCENT = 15;

    /** Fixed, so that the same settings always give the same launch template. */
    static final String BOUNDARY = "==GENOMICS-BATCH-BOUNDARY==";

    private static final Pattern TAG_VALUE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern PLACEHOLDER = Pattern.compile("@[A-Z_]+@");
    private static final Pattern HEREDOC = Pattern.compile("(?<!<)<<-?\\s*'?\"?([A-Za-z_]+)'?\"?(?!<)");

    /**
     * What one environment's hosts need to know.
     *
     * @param environmentTag the value of {@link #TAG_KEY} on this environment's instances and volumes
     * @param storage        initial size, IOPS, throughput and cap of the data storage
     */
    public record Host(String environmentTag, Settings.Storage storage) {
        public Host {
            if (!TAG_VALUE.matcher(environmentTag).matches()) {
                throw new IllegalArgumentException("environment tag \"" + environmentTag
                        + "\": expected 1-128 letters, digits, '-' or '_'");
            }
        }

        Map<String, String> values() {
            return Map.of("TAG_KEY", TAG_KEY, "TAG_VALUE", environmentTag,
                    "INITIAL_GIB", Integer.toString(storage.initialGiB()), "IOPS", Integer.toString(storage.iops()),
                    "THROUGHPUT", Integer.toString(storage.throughputMiB()),
                    "MAX_GIB", Integer.toString(storage.maxGiB()),
                    "MIN_FREE_PERCENT", Integer.toString(MIN_FREE_PERCENT),
                    "EBS_DEVICE", HostLaunchTemplate.SCRATCH_DEVICE, "DATA_DIR", DATA_DIR);
        }
    }

    /** The MIME document, as text. */
    public static String mime(Host host) {
        var out = new StringBuilder()
                .append("MIME-Version: 1.0\n")
                .append("Content-Type: multipart/mixed; boundary=\"").append(BOUNDARY).append("\"\n\n");
        for (var part : PARTS) {
            out.append("--").append(BOUNDARY).append('\n')
                    .append("Content-Type: text/x-shellscript; charset=\"us-ascii\"\n")
                    .append("Content-Disposition: attachment; filename=\"").append(part).append("\"\n\n")
                    .append(delivered(part, host));
        }
        return out.append("--").append(BOUNDARY).append("--\n").toString();
    }

    /** The MIME document, base64-encoded as EC2 launch templates take it. */
    public static String base64(Host host) {
        return Base64.getEncoder().encodeToString(mime(host).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * One part as the host gets it: the environment's values filled in, and whole-line comments
     * dropped (outside here-documents) so that the parts fit EC2's 16 KB; the code is unchanged.
     */
    public static String delivered(String part, Host host) {
        var text = script(part);
        for (var value : host.values().entrySet()) {
            text = text.replace("@" + value.getKey() + "@", value.getValue());
        }
        if (PLACEHOLDER.matcher(text).find()) {
            throw new IllegalStateException("user data part " + part + " has a placeholder without a value");
        }
        return withoutComments(text);
    }

    static String withoutComments(String script) {
        var kept = new ArrayList<String>();
        String heredocEnd = null;
        for (var line : script.split("\n", -1)) {
            if (heredocEnd != null) {
                kept.add(line);
                if (line.equals(heredocEnd)) {
                    heredocEnd = null;
                }
                continue;
            }
            var trimmed = line.strip();
            if (trimmed.startsWith("#") && !line.startsWith("#!")) {
                continue;
            }
            var heredoc = HEREDOC.matcher(line);
            if (heredoc.find()) {
                heredocEnd = heredoc.group(1);
            }
            kept.add(line);
        }
        var text = String.join("\n", kept);
        return text.endsWith("\n") ? text : text + "\n";
    }

    /** One script part's text, as it is in the repository. */
    public static String script(String part) {
        try (var in = UserData.class.getResourceAsStream(part)) {
            if (in == null) {
                throw new IllegalStateException("user data part missing from the jar: " + part);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
