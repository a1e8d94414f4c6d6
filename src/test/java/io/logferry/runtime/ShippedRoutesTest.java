package io.logferry.runtime;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** camel-main loads the shipped routes by name: a file added to routes/ without its name would never load. */
class ShippedRoutesTest {

    @Test
    void theNamedRoutesAreExactlyTheFilesInTheRoutesFolder() throws Exception {
        URL folder = ShippedRoutes.class.getClassLoader().getResource("routes");
        assertThat(folder).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            assertThat(files.map(file -> "classpath:routes/" + file.getFileName()))
                    .containsExactlyInAnyOrderElementsOf(ShippedRoutes.patterns());
        }
    }
}
