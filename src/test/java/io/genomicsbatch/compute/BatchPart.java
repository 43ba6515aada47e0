package io.genomicsbatch.compute;

import java.nio.charset.StandardCharsets;

/**
 * A stand-in for the part AWS Batch merges into a launch template's user data (it copies the
 * template and adds at least ECS_CLUSTER, with MIME headers, to the document EC2 receives). Its
 * exact text is Batch's; 1 KB is a generous stand-in, used by the size tests and the boot test.
 */
public final class BatchPart {
    private BatchPart() {
    }

    /** The stand-in's size, delimiter line included. */
    public static final int BYTES = 1024;

    /** The document as EC2 would get it: Batch's part added before the closing delimiter. */
    public static String merge(String mime) {
        var close = "--" + UserData.BOUNDARY + "--\n";
        if (!mime.endsWith(close)) {
            throw new IllegalArgumentException("not a genomics-batch MIME document");
        }
        var part = new StringBuilder("--" + UserData.BOUNDARY + "\n"
                + "Content-Type: text/x-shellscript; charset=\"us-ascii\"\n\n"
                + "#!/bin/bash\n"
                + "echo ECS_CLUSTER=AWSBatch-genomics-batch-boot-spot-0123456789abcdef0123456789abcdef"
                + " >> /etc/ecs/ecs.config\n"
                + "echo ECS_BATCH_STAND_IN=true >> /etc/ecs/ecs.config\n");
        while (part.length() < BYTES - 1) {
            part.append('#');
            if (part.length() % 64 == 0) {
                part.append('\n');
            }
        }
        part.setLength(BYTES - 1);
        part.append('\n');
        if (part.toString().getBytes(StandardCharsets.US_ASCII).length != BYTES) {
            throw new IllegalStateException("stand-in part is not " + BYTES + " bytes");
        }
        return mime.substring(0, mime.length() - close.length()) + part + close;
    }
}
