package io.genomicsbatch.compute;

import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.JZlib;
import io.genomicsbatch.config.Settings;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

/**
 * The launch template's user data: a MIME multipart document with one shell-script part, the only
 * form AWS Batch merges with its own part (anything else leaves the compute environment INVALID).
 * EC2's 16 KB limit applies to the merged document, so the host scripts travel compressed: gzip, then
 * base64 ({@code user-data.sh}, unpacked with base64 and gzip), or for hosts with a shared file system,
 * whose scripts would not fit so, base85 (a quarter of the bytes as text where base64 takes a third;
 * {@code user-data-b85.sh}, unpacked with Python, which every cloud-init host has). Base64 stays for the
 * others so that their launch templates are what they were. The part unpacks the scripts to
 * /usr/local/lib/genomics-batch and {@code lib.sh boot} runs
 * the {@link #PARTS} in order. Each script is a resource file, read, shellchecked and run by the
 * boot-script tests as it is; {@link #files} gives them as delivered. The first part carries this
 * environment's values ({@link Host}); the same values always give the same document, on any machine.
 */
public final class UserData {
    private UserData() {
    }

    /** The MIME part: unpacks the bundle and starts {@link #LIBRARY}. */
    public static final String UNPACKER = "user-data.sh";
    /** The MIME part of hosts with a shared file system: the bundle in base85, which Python decodes. */
    public static final String UNPACKER_BASE85 = "user-data-b85.sh";
    /** Shared functions and the runner of the parts ({@code lib.sh boot}). */
    public static final String LIBRARY = "lib.sh";
    /** Script parts in the order lib.sh runs them (it sorts them by file name). */
    public static final List<String> PARTS = List.of("00-host-env.sh", "10-ecs-agent.sh", "20-host-storage.sh",
            "30-host-tools.sh", "40-storage-growth.sh", "50-scratch-cleanup.sh", "90-release-ecs.sh");
    /** The part that mounts the shared file system: delivered only to hosts that have one. */
    public static final String SHARED_FILE_SYSTEM_PART = "60-shared-fs.sh";

    /** EC2's limit on user data, raw (before base64), which applies after Batch merged its part in. */
    public static final int MAX_BYTES = 16_384;
    /**
     * This program's share of {@link #MAX_BYTES}: 75 %, measured with a stand-in for Batch's merged
     * part, so that Batch's part and later host features fit.
     */
    public static final int BUDGET_BYTES = 12_288;
    /** The tag that marks this environment's instances and data volumes; storage growth is scoped by it. */
    public static final String TAG_KEY = io.genomicsbatch.config.ResourceTags.ENVIRONMENT_TAG;
    /** Where the data file system is mounted; Docker's data root, /scratch and /cromwell_root are bind mounts of it. */
    public static final String DATA_DIR = "/var/lib/genomics-batch/data";
    /** Storage grows when less than this share of it is free. */
    public static final int MIN_FREE_PERCENT = 15;
    /** CloudWatch namespace and metric a host puts when its provisioning fails. */
    public static final String METRIC_NAMESPACE = "GenomicsBatch";
    public static final String PROVISIONING_FAILED_METRIC = "ProvisioningFailed";

    /** Fixed, so that the same settings always give the same launch template. */
    static final String BOUNDARY = "==GENOMICS-BATCH-BOUNDARY==";
    /** Ends each file in the bundle (a here-document delimiter no script may contain as a line). */
    static final String FILE_END = "GB_FILE";
    /** RFC 5322's longest line (998 characters): fewer line breaks, more room for the scripts. */
    private static final int TEXT_LINE = 995;
    /** The base64 bundle's lines, as before base85 came: a multiple of 4 under RFC 5322's 998. */
    private static final int BASE64_LINE = 996;
    /** Python's base64.b85encode alphabet (RFC 1924's characters): none is a quote, a backslash or a space. */
    static final String BASE85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

    private static final Pattern TAG_VALUE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern PLACEHOLDER = Pattern.compile("@[A-Z_]+@");
    private static final Pattern HEREDOC = Pattern.compile("(?<!<)<<-?\\s*'?\"?([A-Za-z_]+)'?\"?(?!<)");
    private static final Pattern BUNDLED_FILE = Pattern.compile(
            "cat > ([A-Za-z0-9._-]+) <<'" + FILE_END + "'\n(.*?)" + FILE_END + "\n", Pattern.DOTALL);

    /**
     * The key that signs the AWS CLI bundles hosts install.
     *
     * @param armored     the OpenPGP public key, ASCII-armored
     * @param fingerprint its fingerprint, 40 hex digits: the only signer accepted
     */
    public record CliSigningKey(String armored, String fingerprint) {
        /** The AWS CLI team's key, as AWS publishes it (expires 2027-07-01: replace it when AWS renews it). */
        public static final CliSigningKey AWS = new CliSigningKey(resource("aws-cli-team.asc").strip(),
                "FB5DB77FD5C118B80511ADA8A6310ACC4672475C");

        public CliSigningKey {
            if (!fingerprint.matches("[0-9A-F]{40}") || !armored.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
                throw new IllegalArgumentException("expected an armored OpenPGP public key and its 40-digit fingerprint");
            }
        }
    }

    /**
     * What one environment's hosts need to know.
     *
     * @param environmentTag the value of {@link #TAG_KEY} on this environment's instances and volumes
     * @param storage        initial size, IOPS, throughput and cap of the data storage
     * @param hosts          boot watchdog and AWS CLI settings
     * @param cliKey         the only key AWS CLI bundles may be signed with ({@link CliSigningKey#AWS})
     */
    public record Host(String environmentTag, Settings.Storage storage, Settings.Hosts hosts, CliSigningKey cliKey,
                       Optional<SharedMount> sharedMount) {
        public Host {
            if (!TAG_VALUE.matcher(environmentTag).matches()) {
                throw new IllegalArgumentException("environment tag \"" + environmentTag
                        + "\": expected 1-128 letters, digits, '-' or '_'");
            }
        }

        public Host(String environmentTag, Settings.Storage storage, Settings.Hosts hosts, CliSigningKey cliKey) {
            this(environmentTag, storage, hosts, cliKey, Optional.empty());
        }

        public Host(String environmentTag, Settings.Storage storage, Settings.Hosts hosts) {
            this(environmentTag, storage, hosts, CliSigningKey.AWS);
        }

        /** The same host, mounting this shared file system. */
        public Host withSharedMount(SharedMount mount) {
            return new Host(environmentTag, storage, hosts, cliKey, Optional.of(mount));
        }

        Map<String, String> values() {
            var values = new LinkedHashMap<String, String>();
            values.put("TAG_KEY", TAG_KEY);
            values.put("TAG_VALUE", environmentTag);
            values.put("INITIAL_GIB", Integer.toString(storage.initialGiB()));
            values.put("IOPS", Integer.toString(storage.iops()));
            values.put("THROUGHPUT", Integer.toString(storage.throughputMiB()));
            values.put("MAX_GIB", Integer.toString(storage.maxGiB()));
            values.put("MIN_FREE_PERCENT", Integer.toString(MIN_FREE_PERCENT));
            values.put("ROOT_DEVICE", HostLaunchTemplate.ROOT_DEVICE);
            values.put("EBS_DEVICE", HostLaunchTemplate.SCRATCH_DEVICE);
            values.put("DATA_DIR", DATA_DIR);
            values.put("BOOT_TIMEOUT_MINUTES", Integer.toString(hosts.bootTimeoutMinutes()));
            values.put("CLI_URL", hosts.awsCliUrl());
            values.put("CLI_VERSION", hosts.awsCliVersion());
            values.put("CLI_FINGERPRINT", cliKey.fingerprint());
            values.put("CLI_KEY", cliKey.armored());
            sharedMount.ifPresent(m -> {
                values.put("FS_TYPE", m.type().mountType());
                values.put("FS_SOURCE", m.source());
                values.put("FS_PATH", m.path());
                values.put("FS_OPTIONS", m.options());
            });
            return values;
        }

        /** The library and the parts these hosts run, in order. */
        List<String> files() {
            var files = new ArrayList<String>();
            files.add(LIBRARY);
            files.addAll(PARTS);
            sharedMount.ifPresent(m -> files.add(files.size() - 1, SHARED_FILE_SYSTEM_PART));
            return files;
        }
    }

    /**
     * A file system every host mounts (sharedFileSystem).
     *
     * @param type   EFS (NFS 4.1) or FSx for Lustre
     * @param source what {@code mount} takes: {@code DNS:/} for EFS, {@code DNS@tcp:/MOUNTNAME} for Lustre
     * @param path   the mount point, an absolute path the config rules allowed
     */
    public record SharedMount(io.genomicsbatch.config.FileSystemType type, String source, String path) {
        /** AWS's recommended NFS options for EFS (EFS user guide, "Mount settings used by EFS mount helper"). */
        public static final String EFS_OPTIONS = "nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,"
                + "noresvport";
        /** The options of the FSx for Lustre user guide's mount command. */
        public static final String LUSTRE_OPTIONS = "relatime,flock";
        /** Both: after the network, and a host whose mount fails at a reboot still boots (Docker then stays down). */
        static final String FSTAB_OPTIONS = ",_netdev,nofail";

        public SharedMount {
            // The source is written single-quoted and into /etc/fstab.
            if (source.isEmpty() || source.chars().anyMatch(c -> c == '\'' || c < 0x20)) {
                throw new IllegalArgumentException("mount source \"" + source + "\": expected no quote or control character");
            }
            if (!path.matches("(/[A-Za-z0-9._-]+)+")) {
                throw new IllegalArgumentException("mount path \"" + path + "\": expected an absolute path");
            }
        }

        /** The mount options in /etc/fstab. */
        public String options() {
            return (type == io.genomicsbatch.config.FileSystemType.EFS ? EFS_OPTIONS : LUSTRE_OPTIONS) + FSTAB_OPTIONS;
        }
    }

    /** The MIME document, as text. */
    public static String mime(Host host) {
        var files = new LinkedHashMap<String, String>();
        for (var file : host.files()) {
            files.put(file, delivered(file, host));
        }
        return document(files);
    }

    /** The MIME document, base64-encoded as EC2 launch templates take it. */
    public static String base64(Host host) {
        return Base64.getEncoder().encodeToString(mime(host).getBytes(StandardCharsets.US_ASCII));
    }

    /** The MIME document that unpacks these files (name to text, {@link #LIBRARY} first) and runs them. */
    static String document(Map<String, String> files) {
        var bundle = new StringBuilder();
        files.forEach((file, text) -> {
            if (text.lines().anyMatch(FILE_END::equals)) {
                throw new IllegalStateException(file + " contains the line " + FILE_END + ", which ends a bundled file");
            }
            bundle.append("cat > ").append(file).append(" <<'").append(FILE_END).append("'\n").append(text)
                    .append(FILE_END).append('\n');
        });
        var base85 = files.containsKey(SHARED_FILE_SYSTEM_PART);
        var compressed = gzip(bundle.toString());
        var encoded = base85 ? base85Lines(compressed) : base64Lines(compressed);
        if (encoded.lines().anyMatch(line -> line.startsWith("--"))) {
            // Never the case so far; a line like a MIME delimiter could end the part early.
            throw new IllegalStateException("the encoded bundle has a line starting with \"--\"");
        }
        var part = script(base85 ? UNPACKER_BASE85 : UNPACKER).replace("@BUNDLE@", encoded);
        return "MIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"" + BOUNDARY + "\"\n\n"
                + "--" + BOUNDARY + "\n"
                + "Content-Type: text/x-shellscript; charset=\"us-ascii\"\n"
                + "Content-Disposition: attachment; filename=\"genomics-batch.sh\"\n\n"
                + withoutComments(part)
                + "--" + BOUNDARY + "--\n";
    }

    /**
     * The scripts a MIME document from {@link #mime} unpacks on the host, by file name, in order:
     * what the plan shows and the tests read.
     */
    public static Map<String, String> files(String mime) {
        var start = mime.indexOf('\n', mime.indexOf("<<'GB_BUNDLE'") + 1);
        var end = mime.indexOf("\nGB_BUNDLE\n");
        if (!mime.contains("<<'GB_BUNDLE'") || end < start) {
            throw new IllegalArgumentException("not genomics-batch user data: no bundle");
        }
        var text = mime.substring(start + 1, end).replace("\n", "");
        var compressed = mime.contains("base64 -d <<'GB_BUNDLE'") ? Base64.getDecoder().decode(text)
                : base85Decode(text);
        String bundle;
        try (var in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            bundle = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var files = new LinkedHashMap<String, String>();
        var m = BUNDLED_FILE.matcher(bundle);
        while (m.find()) {
            files.put(m.group(1), m.group(2));
        }
        return files;
    }

    /**
     * One script as the host gets it: the environment's values filled in, and whole-line comments
     * dropped (outside here-documents) to save room; the code is unchanged.
     */
    public static String delivered(String file, Host host) {
        var text = script(file);
        for (var value : host.values().entrySet()) {
            text = text.replace("@" + value.getKey() + "@", value.getValue());
        }
        if (PLACEHOLDER.matcher(text).find()) {
            throw new IllegalStateException("user data file " + file + " has a placeholder without a value");
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

    /**
     * gzip, compressed by JZlib (pure Java, so the bytes do not depend on the platform's zlib) with
     * no file name and time 0 in the header: the same text always gives the same bytes.
     */
    static byte[] gzip(String text) {
        var input = text.getBytes(StandardCharsets.US_ASCII);
        var out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
        out.writeBytes(deflate(input));
        var crc = new CRC32();
        crc.update(input);
        writeIntLe(out, (int) crc.getValue());
        writeIntLe(out, input.length);
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] input) {
        try {
            var deflater = new Deflater(JZlib.Z_BEST_COMPRESSION, JZlib.MAX_WBITS, true);
            var buffer = new byte[input.length + 1024];
            deflater.setInput(input);
            deflater.setOutput(buffer);
            if (deflater.deflate(JZlib.Z_FINISH) != JZlib.Z_STREAM_END) {
                throw new IllegalStateException("deflate did not finish: " + deflater.getMessage());
            }
            var compressed = Arrays.copyOf(buffer, (int) deflater.getTotalOut());
            deflater.end();
            return compressed;
        } catch (GZIPException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeIntLe(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** Base85 as Python's {@code base64.b85encode} writes it (no padding), in lines of {@link #TEXT_LINE}. */
    static String base85Lines(byte[] data) {
        var text = new StringBuilder();
        for (var i = 0; i < data.length; i += 4) {
            var n = Math.min(4, data.length - i);
            long word = 0;
            for (var j = 0; j < 4; j++) {
                word = word << 8 | (j < n ? data[i + j] & 0xff : 0);
            }
            var chunk = new char[5];
            for (var j = 4; j >= 0; j--) {
                chunk[j] = BASE85.charAt((int) (word % 85));
                word /= 85;
            }
            text.append(chunk, 0, n + 1);
        }
        return lines(text.toString(), TEXT_LINE);
    }

    /** Base64, in lines of {@link #BASE64_LINE}, as {@code base64 -d} reads it. */
    static String base64Lines(byte[] data) {
        return lines(Base64.getEncoder().encodeToString(data), BASE64_LINE);
    }

    /** The text broken into lines of {@code width} characters (the last one shorter), without a final break. */
    private static String lines(String text, int width) {
        var out = new StringBuilder();
        for (var i = 0; i < text.length(); i += width) {
            out.append(text, i, Math.min(text.length(), i + width));
            if (i + width < text.length()) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** What {@code base64.b85decode} gives for {@link #base85Lines}' text (line breaks removed). */
    static byte[] base85Decode(String text) {
        var out = new ByteArrayOutputStream();
        for (var i = 0; i < text.length(); i += 5) {
            var n = Math.min(5, text.length() - i);
            long word = 0;
            for (var j = 0; j < 5; j++) {
                var c = j < n ? BASE85.indexOf(text.charAt(i + j)) : BASE85.length() - 1;
                if (c < 0) {
                    throw new IllegalArgumentException("not base85: " + text.charAt(i + j));
                }
                word = word * 85 + c;
            }
            for (var j = 0; j < n - 1; j++) {
                out.write((int) (word >>> (24 - 8 * j)) & 0xff);
            }
        }
        return out.toByteArray();
    }

    /** One script's text, as it is in the repository. */
    public static String script(String file) {
        return resource(file);
    }

    private static String resource(String file) {
        try (var in = UserData.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("user data file missing from the jar: " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
