package io.logferry.listener;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A CN's ingest directory: plain names kept, everything else escaped, never hidden, never shared. */
class SourceDirectoryTest {

    @Test
    void plainNamesStayAsTheyAre() {
        assertThat(SourceDirectory.of("web-1.example.org")).isEqualTo("web-1.example.org");
        assertThat(SourceDirectory.of("db_2")).isEqualTo("db_2");
    }

    @Test
    void otherBytesArePercentEscapedSoNoTwoNamesMeet() {
        assertThat(SourceDirectory.of("a b")).isEqualTo("a%20b");
        assertThat(SourceDirectory.of("a%20b")).isEqualTo("a%2520b");
        assertThat(SourceDirectory.of("a/b")).isEqualTo("a%2Fb");
        assertThat(SourceDirectory.of("ü")).isEqualTo("%C3%BC");
        // the names the old mapping gave to one directory, and their old shared name
        assertThat(SourceDirectory.of("a_b-c8687a08aa5d")).isNotEqualTo(SourceDirectory.of("a b"));
    }

    @Test
    void noNameIsHiddenOrSpecial() {
        assertThat(SourceDirectory.of(".hidden")).isEqualTo("%2Ehidden");
        assertThat(SourceDirectory.of(".")).isEqualTo("%2E");
        assertThat(SourceDirectory.of("..")).isEqualTo("%2E.");
        assertThat(SourceDirectory.of("")).isEqualTo("%");
    }

    @Test
    void longNamesAreCutWithAHashAndStayDistinct() {
        String a = "x".repeat(300) + "a";
        String b = "x".repeat(300) + "b";
        assertThat(SourceDirectory.of(a)).hasSizeLessThanOrEqualTo(SourceDirectory.MAX_LENGTH).contains("%%");
        assertThat(SourceDirectory.of(a)).isNotEqualTo(SourceDirectory.of(b));
    }

    @Test
    void distinctNamesGiveDistinctDirectories() {
        List<String> names = List.of("a b", "a_b", "a%20b", "a+b", ".a", "%2Ea", "A B", "a\\b", "a:b", "a\u0000b",
                "x".repeat(201), "x".repeat(202), "", "%", "%%");
        Set<String> directories = new HashSet<>();
        for (String name : names) {
            assertThat(directories.add(SourceDirectory.of(name))).as(name).isTrue();
        }
    }
}
