package io.genomicsbatch.compute;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** The fingerprint of an armored OpenPGP public key (RFC 4880 12.2: v4, SHA-1 of the key packet). */
final class OpenPgp {
    private OpenPgp() {
    }

    static String fingerprint(String armored) {
        var body = new StringBuilder();
        var inBody = false;
        for (var line : armored.strip().split("\n")) {
            if (inBody && (line.startsWith("=") || line.startsWith("-----END"))) {
                break;
            }
            if (inBody) {
                body.append(line.strip());
            } else if (line.isBlank()) {
                inBody = true;
            }
        }
        var data = Base64.getDecoder().decode(body.toString());
        int tag = data[0] & 0xff;
        int offset;
        int length;
        if ((tag & 0x40) != 0) { // new format: one-, two- or five-octet length
            int first = data[1] & 0xff;
            if (first < 192) {
                length = first;
                offset = 2;
            } else if (first < 224) {
                length = ((first - 192) << 8) + (data[2] & 0xff) + 192;
                offset = 3;
            } else {
                length = ((data[2] & 0xff) << 24) | ((data[3] & 0xff) << 16) | ((data[4] & 0xff) << 8) | (data[5] & 0xff);
                offset = 6;
            }
        } else { // old format: length type in the low two bits
            int octets = 1 << (tag & 3);
            length = 0;
            for (var i = 0; i < octets; i++) {
                length = (length << 8) | (data[1 + i] & 0xff);
            }
            offset = 1 + octets;
        }
        if (((tag & 0x40) != 0 ? tag & 0x3f : (tag >> 2) & 0xf) != 6 || data[offset] != 4) {
            throw new IllegalArgumentException("not a version 4 OpenPGP public key");
        }
        try {
            var sha1 = MessageDigest.getInstance("SHA-1");
            var packet = new ByteArrayOutputStream();
            packet.write(0x99);
            packet.write(length >> 8);
            packet.write(length);
            packet.write(data, offset, length);
            return HexFormat.of().formatHex(sha1.digest(packet.toByteArray())).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
