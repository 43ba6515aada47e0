package io.genomicsbatch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README is a user guide of at most 250 lines, and every relative link in the docs resolves. */
class DocumentationTest {
    static final int README_MAX_LINES = 250;
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");

    @Test
    void theReadmeIsAtMost250Lines() throws IOException {
        assertThat(Files.readAllLines(Path.of("README.md"))).hasSizeLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        var broken = new ArrayList<String>();
        for (var doc : documents()) {
            var text = FENCE.matcher(Files.readString(doc)).replaceAll("");
            var m = LINK.matcher(text);
            while (m.find()) {
                var target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                var hash = target.indexOf('#');
                var path = hash < 0 ? target : target.substring(0, hash);
                var file = path.isEmpty() ? doc : doc.toAbsolutePath().getParent().resolve(path).normalize();
                if (!Files.exists(file)) {
                    broken.add(doc + ": " + target + " (no such file)");
                } else if (hash >= 0 && !(file.toString().endsWith(".md")
                        && anchors(file).contains(target.substring(hash + 1)))) {
                    broken.add(doc + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void anchorsFollowGitHubsHeadingIds() {
        assertThat(slug("A boot loop: how you see it, and how you stop it"))
                .isEqualTo("a-boot-loop-how-you-see-it-and-how-you-stop-it");
        assertThat(slug("Long drains and `pulumi up`")).isEqualTo("long-drains-and-pulumi-up");
    }

    static List<Path> documents() throws IOException {
        var docs = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CHANGELOG.md"),
                Path.of(".ci/boot-test/README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    static Set<String> anchors(Path markdown) throws IOException {
        var ids = new HashSet<String>();
        var text = FENCE.matcher(Files.readString(markdown)).replaceAll("");
        for (var line : text.split("\n")) {
            if (line.matches("^#{1,6} .*")) {
                var base = slug(line.replaceFirst("^#+ ", ""));
                var id = base;
                for (int n = 1; !ids.add(id); n++) {
                    id = base + "-" + n;
                }
            }
        }
        return ids;
    }

    /** GitHub's heading IDs: lower case, punctuation but hyphens and underscores dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    /** The README's complete stack file plans as it stands, with no warning: a newcomer may copy it. */
    @Test
    void theReadmesLabStackPlansWithoutWarnings(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        var readme = Files.readString(Path.of("README.md"));
        var block = Pattern.compile("(?s)```yaml\n(config:.*?)```").matcher(readme);
        assertThat(block.find()).as("a complete stack file in the README").isTrue();
        Files.copy(Path.of("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        Files.writeString(dir.resolve("Pulumi.lab1.yaml"), block.group(1));
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        var status = io.genomicsbatch.plan.PlanCommand.run(new String[]{"plan", "--stack", "lab1", "--dir",
                dir.toString()}, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Warnings:")
                .contains("Plan for stack lab1");
    }
}
