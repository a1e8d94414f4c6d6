package io.logferry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rooms of the house (docs/ARCHITECTURE.md, "Packages"): each sink is one package under {@code sink/} that
 * imports neither another sink nor a source, and the formats import neither; so a sink can be added, moved or
 * removed without touching the others. Read from the sources' import lines.
 */
class PackageRulesTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.logferry\\.([a-z0-9.]+)\\.[A-Z]",
            Pattern.MULTILINE);
    private static final List<String> SOURCES = List.of("tail", "listener", "kafkalines");
    private static final List<String> FORMATS = List.of("rfc5424", "rfc5425", "json", "kafka");

    @Test
    void noSinkImportsAnotherSinkOrASource() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String from = packageOf(file);
            if (!from.startsWith("sink.")) {
                continue;
            }
            for (String to : imports(file)) {
                boolean otherSink = to.startsWith("sink.") && !to.startsWith(from);
                if (otherSink || SOURCES.stream().anyMatch(to::startsWith)) {
                    violations.add(file + " imports io.logferry." + to);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void formatsImportNoSinkAndNoSource() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            if (!FORMATS.contains(packageOf(file))) {
                continue;
            }
            for (String to : imports(file)) {
                if (to.startsWith("sink") || SOURCES.stream().anyMatch(to::startsWith)) {
                    violations.add(file + " imports io.logferry." + to);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theRuleSeesEveryShippedSink() throws IOException {
        assertThat(sources().stream().map(PackageRulesTest::packageOf).filter(p -> p.startsWith("sink."))
                .distinct()).contains("sink.hec", "sink.store", "sink.syslog", "sink.datadog", "sink.kafka");
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN.resolve("io/logferry"))) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    private static String packageOf(Path file) {
        return MAIN.resolve("io/logferry").relativize(file.getParent()).toString().replace('/', '.');
    }

    private static List<String> imports(Path file) throws IOException {
        Matcher m = IMPORT.matcher(Files.readString(file));
        List<String> packages = new ArrayList<>();
        while (m.find()) {
            packages.add(m.group(1));
        }
        return packages;
    }
}
