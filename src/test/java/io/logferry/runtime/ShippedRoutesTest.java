package io.logferry.runtime;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** camel-main loads the shipped routes by name, from the index the build writes: every file in routes/ is in it. */
class ShippedRoutesTest {

    @Test
    void theNamedRoutesAreExactlyTheFilesInTheRoutesFolder() throws Exception {
        URL folder = ShippedRoutes.class.getClassLoader().getResource("routes");
        assertThat(folder).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            assertThat(files.map(file -> "classpath:routes/" + file.getFileName())
                    .filter(name -> name.endsWith(".camel.yaml")))
                    .containsExactlyInAnyOrderElementsOf(ShippedRoutes.patterns());
        }
    }
}
