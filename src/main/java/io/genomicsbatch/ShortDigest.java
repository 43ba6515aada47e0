package io.genomicsbatch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Logical names from a value rather than a position, so that reordering a list replaces nothing: 8 hex
 * digits of the value's SHA-256, as written (values that differ in case only get two names).
 */
public final class ShortDigest {
    private ShortDigest() {
    }

    public static String of(String value) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
