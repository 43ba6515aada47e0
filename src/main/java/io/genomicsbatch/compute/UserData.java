package io.genomicsbatch.compute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The launch template's user data: a MIME multipart document, the only form AWS Batch merges with
 * its own user data (anything else leaves the compute environment INVALID). Each part is a shell
 * script kept as a resource file, so it can be read and shellchecked as it is.
 */
public final class UserData {
    private UserData() {
    }

    /** Script parts in the order cloud-init runs them. */
    public static final List<String> PARTS = List.of("10-ecs-agent.sh", "20-scratch-volume.sh");

    /** Fixed, so that the same settings always give the same launch template. */
    static final String BOUNDARY = "==GENOMICS-BATCH-BOUNDARY==";

    /** The MIME document, as text. */
    public static String mime() {
        var out = new StringBuilder()
                .append("MIME-Version: 1.0\n")
                .append("Content-Type: multipart/mixed; boundary=\"").append(BOUNDARY).append("\"\n\n");
        for (var part : PARTS) {
            out.append("--").append(BOUNDARY).append('\n')
                    .append("Content-Type: text/x-shellscript; charset=\"us-ascii\"\n")
                    .append("Content-Disposition: attachment; filename=\"").append(part).append("\"\n\n")
                    .append(script(part));
            if (out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            out.append('\n');
        }
        return out.append("--").append(BOUNDARY).append("--\n").toString();
    }

    /** The MIME document, base64-encoded as EC2 launch templates take it. */
    public static String base64() {
        return Base64.getEncoder().encodeToString(mime().getBytes(StandardCharsets.US_ASCII));
    }

    /** One script part's text. */
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
