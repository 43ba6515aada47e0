package io.genomicsbatch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The licence, the changelog and the version agree (docs/releasing.md). */
class ReleaseFilesTest {
    private static final Pattern POM_VERSION =
            Pattern.compile("<artifactId>genomics-batch</artifactId>\\s*<version>([^<]+)</version>");

    static String pomVersion() throws IOException {
        var m = POM_VERSION.matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).as("the pom's own version").isTrue();
        return m.group(1);
    }

    @Test
    void theLicenceIsApache2AndThePomSaysSo() throws IOException {
        var licence = Files.readString(Path.of("LICENSE"));
        assertThat(licence).contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
        assertThat(Files.readString(Path.of("pom.xml"))).containsPattern(
                "<licenses>\\s*<license>\\s*<name>Apache-2.0</name>");
    }

    @Test
    void theChangelogHasAnUnreleasedSectionAndThePomsVersion() throws IOException {
        var changelog = Files.readString(Path.of("CHANGELOG.md"));
        var headings = Pattern.compile("(?m)^## \\[([^]]+)]").matcher(changelog).results()
                .map(m -> m.group(1)).toList();
        assertThat(headings).first().isEqualTo("Unreleased");
        assertThat(headings).contains(pomVersion());
        assertThat(headings.subList(1, headings.size())).allMatch(v -> v.matches("\\d+\\.\\d+\\.\\d+"));
    }
}
