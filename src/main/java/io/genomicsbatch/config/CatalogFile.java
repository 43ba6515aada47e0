package io.genomicsbatch.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A dated table of AWS facts committed with the program (written by {@code .ci/catalog/generate.py}):
 * "# date:" and "# source:" header lines, other "#" comments, one line of column names, then
 * tab-separated rows. The program reads only these files, so a check gives the same answer on
 * every machine, offline; the date tells a user how old the facts behind a refusal are.
 */
record CatalogFile(String name, String date, String source, List<List<String>> rows) {

    CatalogFile {
        rows = List.copyOf(rows);
    }

    /** A resource next to this class; a missing or malformed file is a build defect, not a config problem. */
    static CatalogFile read(String resource, int columns) {
        String text;
        try (var in = CatalogFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("catalog " + resource + " is missing from the jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String date = null;
        String source = null;
        var header = true;
        var rows = new ArrayList<List<String>>();
        for (var line : text.split("\n")) {
            if (line.startsWith("# date: ")) {
                date = line.substring("# date: ".length()).trim();
            } else if (line.startsWith("# source: ")) {
                source = line.substring("# source: ".length()).trim();
            } else if (line.startsWith("#") || line.isBlank()) {
                continue;
            } else if (header) {
                header = false; // the column names
            } else {
                var cells = List.of(line.split("\t", -1));
                if (cells.size() != columns) {
                    throw new IllegalStateException("catalog " + resource + ": expected " + columns + " columns in "
                            + line);
                }
                rows.add(cells);
            }
        }
        if (date == null || source == null || rows.isEmpty()) {
            throw new IllegalStateException("catalog " + resource + " has no date, source or rows");
        }
        return new CatalogFile(resource, date, source, rows);
    }

    /** "-" stands for none in a list cell. */
    static List<String> list(String cell) {
        return cell.equals("-") ? List.of() : List.of(cell.split(","));
    }

    /**
     * The candidates nearest to a mistyped value, best first: fewest edits, then most letters in
     * common (so "r9z" finds r7iz before r5), then the later name (newer generations sort later).
     * At most {@code limit}, and only within a few edits, so a wild value gets no suggestion.
     */
    static <T> List<T> closest(String value, List<T> candidates, Function<T, String> name, int limit) {
        var v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.length() > 64) {
            return List.of(); // no name is near it, and the edit distance would cost its length squared
        }
        var maxEdits = v.length() <= 4 ? 2 : 3;
        record Scored<T>(T candidate, String name, int edits, int common) {
        }
        return candidates.stream()
                .map(c -> new Scored<>(c, name.apply(c), ConfigReader.editDistance(v, name.apply(c)),
                        commonLetters(v, name.apply(c))))
                .filter(s -> s.edits() <= maxEdits)
                .sorted(Comparator.<Scored<T>>comparingInt(Scored::edits)
                        .thenComparing(Comparator.<Scored<T>>comparingInt(Scored::common).reversed())
                        .thenComparing(Scored::name, Comparator.reverseOrder()))
                .limit(limit)
                .map(Scored::candidate)
                .toList();
    }

    private static int commonLetters(String a, String b) {
        var counts = new int[128];
        a.chars().filter(c -> c < 128).forEach(c -> counts[c]++);
        var common = 0;
        for (var c : b.toCharArray()) {
            if (c < 128 && counts[c] > 0) {
                counts[c]--;
                common++;
            }
        }
        return common;
    }
}
