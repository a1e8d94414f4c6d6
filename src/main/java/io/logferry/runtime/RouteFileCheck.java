package io.logferry.runtime;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks what Camel accepts silently: a {@code templatedRoute} that names a template that does not exist or
 * sets a parameter its template does not declare (a typo would otherwise fall back to the default without a
 * word). YAML syntax errors are left to Camel, which reports them with file, line and column.
 */
final class RouteFileCheck {

    /** The templates shipped in the jar (classpath:routes/). */
    static final List<String> SHIPPED = List.of("routes/tail-to-store.camel.yaml", "routes/tail-to-hec.camel.yaml");

    private final Load yaml = new Load(LoadSettings.builder().build());
    private final Map<String, Set<String>> templates = new LinkedHashMap<>();

    /** Returns one sentence per problem; empty when every templated route matches its template. */
    List<String> check(List<Path> userFiles) throws IOException {
        for (String shipped : SHIPPED) {
            try (InputStream in = RouteFileCheck.class.getClassLoader().getResourceAsStream(shipped)) {
                if (in != null) {
                    collectTemplates(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        Map<Path, List<Object>> parsed = new LinkedHashMap<>();
        for (Path file : userFiles) {
            try {
                List<Object> entries = parse(Files.readString(file));
                collectTemplates(entries);
                parsed.put(file, entries);
            } catch (YamlEngineException e) {
                // Camel reports syntax errors with their position
            }
        }
        List<String> problems = new ArrayList<>();
        parsed.forEach((file, entries) -> entries.forEach(entry -> checkEntry(file, entry, problems)));
        return problems;
    }

    /** Expands a {@code file:dir/glob} route pattern (comma-separated) into the files it matches. */
    static List<Path> files(String patterns) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String pattern : patterns.split(",")) {
            String p = pattern.strip();
            if (!p.startsWith("file:")) {
                continue;
            }
            Path glob = Path.of(p.substring("file:".length()));
            Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob.getFileName().toString())) {
                stream.forEach(files::add);
            }
        }
        files.sort(null);
        return files;
    }

    private List<Object> parse(String text) {
        List<Object> entries = new ArrayList<>();
        for (Object doc : yaml.loadAllFromString(text)) {
            if (doc instanceof List<?> list) {
                entries.addAll(list);
            }
        }
        return entries;
    }

    private void collectTemplates(List<Object> entries) {
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> map && map.get("routeTemplate") instanceof Map<?, ?> template) {
                Set<String> names = new TreeSet<>();
                if (template.get("parameters") instanceof List<?> params) {
                    params.forEach(p -> names.add(String.valueOf(((Map<?, ?>) p).get("name"))));
                }
                templates.put(String.valueOf(template.get("id")), names);
            }
        }
    }

    private void checkEntry(Path file, Object entry, List<String> problems) {
        if (!(entry instanceof Map<?, ?> map) || !(map.get("templatedRoute") instanceof Map<?, ?> route)) {
            return;
        }
        String ref = String.valueOf(route.get("routeTemplateRef"));
        String id = route.get("routeId") == null ? ref : String.valueOf(route.get("routeId"));
        Set<String> declared = templates.get(ref);
        if (declared == null) {
            problems.add(file + ": templatedRoute '" + id + "' refers to template '" + ref + "', which does not"
                    + " exist. Known templates: " + String.join(", ", templates.keySet()) + ".");
            return;
        }
        if (route.get("parameters") instanceof List<?> params) {
            for (Object p : params) {
                String name = p instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : String.valueOf(p);
                if (!declared.contains(name)) {
                    problems.add(file + ": templatedRoute '" + id + "' sets parameter '" + name + "', which template '"
                            + ref + "' does not have. Its parameters are: " + String.join(", ", declared) + ".");
                }
            }
        }
    }
}
