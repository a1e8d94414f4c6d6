package io.logferry.runtime;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The copy-and-edit examples and the default pipeline name only templates and parameters that exist. */
class ShippedExamplesTest {

    @Test
    void everyExampleAndTheDefaultPipelinePassTheStartUpCheck() throws Exception {
        List<Path> files;
        try (Stream<Path> examples = Files.list(Path.of("config/examples"))) {
            files = Stream.concat(examples, Stream.of(Path.of("config/routes/default.camel.yaml"))).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("tail-to-hec.camel.yaml");
        assertThat(new RouteFileCheck().check(files)).isEmpty();
    }

    @Test
    void aMisspelledHecParameterIsReported(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.camel.yaml");
        Files.writeString(file, Files.readString(Path.of("config/examples/tail-to-hec.camel.yaml"))
                .replace("name: rotateSessionAfter", "name: rotateSessionAftr"));
        assertThat(new RouteFileCheck().check(List.of(file))).singleElement().asString()
                .contains("rotateSessionAftr");
    }
}
