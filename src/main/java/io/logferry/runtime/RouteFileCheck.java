package io.logferry.runtime;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks what Camel accepts silently: a {@code templatedRoute} that names a template that does not exist or
 * sets a parameter its template does not declare (a typo would otherwise fall back to the default without a
 * word), and a route id declared in two files (the second would replace the first). At start-up YAML syntax
 * errors are left to Camel, which reports them with file, line and column; before a reload they are reported
 * here, so a broken edit is refused before any running route is touched.
 */
final class RouteFileCheck {

    private final Load yaml = new Load(LoadSettings.builder().build());

    /** Returns one sentence per problem; empty when every templated route matches its template. */
    List<String> check(List<Path> userFiles) throws IOException {
        Map<Path, String> contents = new LinkedHashMap<>();
        for (Path file : userFiles) {
            contents.put(file, Files.readString(file));
        }
        List<String> problems = new ArrayList<>();
        collect(contents, null, problems);
        return problems;
    }

    /**
     * The problems of one file about to be reloaded, given the contents of every user file as they would be
     * after the reload (templates may be declared in any of them). Syntax errors are reported too.
     */
    List<String> checkBeforeReload(Path file, Map<Path, String> contents) throws IOException {
        List<String> problems = new ArrayList<>();
        syntaxError(file, contents.get(file)).ifPresent(problems::add);
        if (problems.isEmpty()) {
            collect(contents, file, problems);
        }
        return problems;
    }

    /** True if the file declares a {@code routeTemplate} (it must be loaded before files that use it). */
    boolean declaresTemplates(String content) {
        Map<String, Map<String, String>> templates = new LinkedHashMap<>();
        try {
            collectTemplates(parse(content), templates);
        } catch (YamlEngineException e) {
            return false;
        }
        return !templates.isEmpty();
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

    /** A YAML syntax error with its line and column, or empty. */
    private Optional<String> syntaxError(Path file, String content) {
        try {
            parse(content);
            return Optional.empty();
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().or(e::getContextMark)
                    .map(m -> "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ").orElse("");
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            if (e.getContext() != null) {
                problem = e.getContext() + ", " + problem;
            }
            return Optional.of(file + ": " + where + "not valid YAML (" + problem.strip() + ")");
        } catch (YamlEngineException e) {
            return Optional.of(file + ": not valid YAML (" + e.getMessage().strip() + ")");
        }
    }

    /** Checks every parsable file; reports only the problems of {@code only} when it is not null. */
    private void collect(Map<Path, String> contents, Path only, List<String> problems) throws IOException {
        Map<String, Map<String, String>> templates = shippedTemplates();
        Map<Path, List<Object>> parsed = new LinkedHashMap<>();
        contents.forEach((file, content) -> {
            try {
                List<Object> entries = parse(content);
                collectTemplates(entries, templates);
                parsed.put(file, entries);
            } catch (YamlEngineException e) {
                // Camel reports syntax errors with their position at start-up; checkBeforeReload reports them
            }
        });
        Map<String, List<Path>> declaredIn = new LinkedHashMap<>();
        parsed.forEach((file, entries) -> {
            for (Object entry : entries) {
                if (only == null || only.equals(file)) {
                    checkEntry(file, entry, templates, problems);
                }
                routeId(entry).ifPresent(id -> declaredIn.computeIfAbsent(id, k -> new ArrayList<>()).add(file));
            }
        });
        declaredIn.forEach((id, files) -> {
            for (int i = 1; i < files.size(); i++) {
                Path file = only == null ? files.get(i) : only;
                if (only != null && !files.contains(only)) {
                    return;
                }
                Set<Path> others = new TreeSet<>(files);
                others.remove(file);
                problems.add(file + ": route id '" + id + "' is already used "
                        + (others.isEmpty() ? "earlier in this file" : "in " + others.iterator().next())
                        + ". Give each route its own id.");
                if (only != null) {
                    return;
                }
            }
        });
    }

    private Map<String, Map<String, String>> shippedTemplates() throws IOException {
        Map<String, Map<String, String>> templates = new LinkedHashMap<>();
        for (String shipped : ShippedRoutes.TEMPLATES) {
            try (InputStream in = RouteFileCheck.class.getClassLoader().getResourceAsStream(shipped)) {
                if (in != null) {
                    collectTemplates(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)), templates);
                }
            }
        }
        return templates;
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

    private static Optional<String> routeId(Object entry) {
        if (entry instanceof Map<?, ?> map) {
            if (map.get("route") instanceof Map<?, ?> route && route.get("id") != null) {
                return Optional.of(String.valueOf(route.get("id")));
            }
            if (map.get("templatedRoute") instanceof Map<?, ?> route && route.get("routeId") != null) {
                return Optional.of(String.valueOf(route.get("routeId")));
            }
        }
        return Optional.empty();
    }

    private static void collectTemplates(List<Object> entries, Map<String, Map<String, String>> templates) {
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> map && map.get("routeTemplate") instanceof Map<?, ?> template) {
                Map<String, String> defaults = new TreeMap<>();
                if (template.get("parameters") instanceof List<?> params) {
                    for (Object p : params) {
                        Map<?, ?> param = (Map<?, ?>) p;
                        Object value = param.get("defaultValue");
                        defaults.put(String.valueOf(param.get("name")), value == null ? null : String.valueOf(value));
                    }
                }
                templates.put(String.valueOf(template.get("id")), defaults);
            }
        }
    }

    private static void checkEntry(Path file, Object entry, Map<String, Map<String, String>> templates,
                                   List<String> problems) {
        if (!(entry instanceof Map<?, ?> map) || !(map.get("templatedRoute") instanceof Map<?, ?> route)) {
            return;
        }
        String ref = String.valueOf(route.get("routeTemplateRef"));
        String id = route.get("routeId") == null ? ref : String.valueOf(route.get("routeId"));
        Map<String, String> declared = templates.get(ref);
        if (declared == null) {
            problems.add(file + ": templatedRoute '" + id + "' refers to template '" + ref + "', which does not"
                    + " exist. Known templates: " + String.join(", ", templates.keySet()) + ".");
            return;
        }
        if (route.get("parameters") instanceof List<?> params) {
            for (Object p : params) {
                String name = p instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : String.valueOf(p);
                if (!declared.containsKey(name)) {
                    problems.add(file + ": templatedRoute '" + id + "' sets parameter '" + name + "', which template '"
                            + ref + "' does not have. Its parameters are: " + String.join(", ", declared.keySet())
                            + ".");
                } else if (p instanceof Map<?, ?> m && m.get("value") != null) {
                    String value = String.valueOf(m.get("value"));
                    String problem = ParameterValues.problem(name, declared.get(name), value);
                    if (problem != null) {
                        problems.add(file + ": templatedRoute '" + id + "': parameter '" + name + "' " + problem
                                + ", not '" + value + "'.");
                    }
                }
            }
        }
    }
}
