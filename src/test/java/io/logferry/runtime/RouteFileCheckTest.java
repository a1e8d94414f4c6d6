package io.logferry.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What Camel would accept silently is found before start-up or before a reload. */
class RouteFileCheckTest {

    @TempDir
    Path dir;

    private static String pipeline(String routeId, String parameter) {
        return "- templatedRoute:\n    routeTemplateRef: tail-to-store\n    routeId: " + routeId + "\n"
                + "    parameters:\n      - name: " + parameter + "\n        value: logs/*.log\n";
    }

    @Test
    void aValueThatDoesNotFitItsParameterIsReportedWithWhatItAccepts() throws Exception {
        Path file = Files.writeString(dir.resolve("app.camel.yaml"), "- templatedRoute:\n"
                + "    routeTemplateRef: tail-to-store\n    routeId: app\n    parameters:\n"
                + "      - name: readFrom\n        value: middle\n"
                + "      - name: batchLines\n        value: ten\n"
                + "      - name: circuitBreaker\n        value: maybe\n"
                + "      - name: storeUrl\n        value: \"{{store.url}}\"\n"
                + "      - name: batchTimeout\n        value: 250\n"
                + "      - name: longLines\n        value: TRUNCATE\n"
                + "      - name: circuitFailureRate\n        value: 150\n"
                + "      - name: batchLines\n        value: 0\n");
        assertThat(new RouteFileCheck().check(List.of(file))).containsExactly(
                file + ": templatedRoute 'app': parameter 'readFrom' must be one of head, tail, not 'middle'.",
                file + ": templatedRoute 'app': parameter 'batchLines' must be a whole number (0 or more, digits only,"
                        + " e.g. 10000), not 'ten'.",
                file + ": templatedRoute 'app': parameter 'circuitBreaker' must be true or false, not 'maybe'.",
                file + ": templatedRoute 'app': parameter 'circuitFailureRate' must be from 1 to 100, not '150'.",
                file + ": templatedRoute 'app': parameter 'batchLines' must be from 1 up, not '0'.");
    }

    @Test
    void aRouteIdDeclaredInTwoFilesIsReportedForTheSecond() throws Exception {
        Path a = Files.writeString(dir.resolve("a.camel.yaml"), pipeline("app", "paths"));
        Path b = Files.writeString(dir.resolve("b.camel.yaml"), pipeline("app", "paths"));
        assertThat(new RouteFileCheck().check(List.of(a, b))).containsExactly(
                b + ": route id 'app' is already used in " + a + ". Give each route its own id.");
    }

    @Test
    void beforeAReloadOnlyTheReloadedFileIsReportedWithSyntaxErrorsAndTheirLine() throws Exception {
        Path a = dir.resolve("a.camel.yaml");
        Path b = dir.resolve("b.camel.yaml");
        Map<Path, String> contents = new LinkedHashMap<>();
        contents.put(a, pipeline("a", "pathz")); // another file's problem is not this reload's
        contents.put(b, "- templatedRoute:\n    routeTemplateRef: tail-to-store\n   routeId: b\n");
        assertThat(new RouteFileCheck().checkBeforeReload(b, contents)).singleElement().asString()
                .startsWith(b + ": line 3, column 4: not valid YAML");

        contents.put(b, pipeline("b", "path"));
        assertThat(new RouteFileCheck().checkBeforeReload(b, contents)).singleElement().asString()
                .contains("sets parameter 'path', which template 'tail-to-store' does not have");

        contents.put(b, pipeline("a", "paths"));
        assertThat(new RouteFileCheck().checkBeforeReload(b, contents)).containsExactly(
                b + ": route id 'a' is already used in " + a + ". Give each route its own id.");

        contents.put(b, pipeline("b", "paths"));
        assertThat(new RouteFileCheck().checkBeforeReload(b, contents)).isEmpty();
    }
}
