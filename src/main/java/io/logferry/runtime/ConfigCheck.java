package io.logferry.runtime;

import io.logferry.tail.FileDiscovery;
import io.logferry.tls.TlsFiles;
import io.logferry.tls.TlsIdentityLoader;
import org.apache.camel.impl.DefaultCamelContext;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code logferry check}: everything a start would refuse, found without starting anything. The route files
 * (syntax, templates, parameter names and values, duplicate ids), then per pipeline with its placeholders
 * resolved as a start would: the TLS files load and match, a PostgreSQL store answers, an SQLite store's
 * directory is there, a Kafka cluster answers and has the topic; globs that match no file yet are warnings, not errors.
 */
public final class ConfigCheck {

    /** What was found: problems fail the check, warnings do not. */
    public record Result(List<String> problems, List<String> warnings, int routes) {
    }

    private final Path configDir;
    private final String routes;

    public ConfigCheck(Path configDir, String routes) {
        this.configDir = configDir;
        this.routes = routes;
    }

    public Result run() throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!Files.isDirectory(configDir)) {
            problems.add("configuration directory " + configDir.toAbsolutePath() + " does not exist");
            return new Result(problems, warnings, 0);
        }
        List<Path> files = RouteFileCheck.files(LogferryRuntime.userRoutes(configDir, routes));
        Map<Path, String> contents = new LinkedHashMap<>();
        for (Path file : files) {
            contents.put(file, Files.readString(file));
        }
        RouteFileCheck routeCheck = new RouteFileCheck();
        for (Path file : files) {
            problems.addAll(routeCheck.checkBeforeReload(file, contents));
        }
        int count = 0;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:" + configDir.resolve("application.properties")
                    + ";optional=true,classpath:logferry-defaults.properties");
            for (Map.Entry<Path, String> file : contents.entrySet()) {
                for (Map<String, String> pipeline : pipelines(file.getValue())) {
                    count++;
                    checkPipeline(file.getKey(), resolved(context, pipeline), problems, warnings);
                }
            }
        }
        return new Result(problems, warnings, count);
    }

    private static void checkPipeline(Path file, Map<String, String> p, List<String> problems,
                                      List<String> warnings) {
        String where = file + ": route " + p.get("routeId") + ": ";
        checkTls(p, where, problems);
        checkStore(p, where, problems);
        KafkaCheck.check(p, where, problems, warnings);
        String paths = p.get("paths");
        if (paths != null && !paths.isBlank()) {
            try {
                if (FileDiscovery.matching(paths, p.getOrDefault("exclude", "*.gz")).isEmpty()) {
                    warnings.add(where + "paths '" + paths + "' match no file yet (the tail waits for them)");
                }
            } catch (IOException e) {
                problems.add(where + "paths '" + paths + "' cannot be read: " + e);
            }
        }
    }

    private static void checkTls(Map<String, String> p, String where, List<String> problems) {
        String ca = p.get("caFile");
        String cert = p.get("certFile");
        String keyStore = p.get("keyStore");
        if (blank(ca) || blank(cert) && blank(keyStore)) {
            return;
        }
        TlsFiles files = !blank(keyStore)
                ? new TlsFiles.Pkcs12(Path.of(keyStore), p.getOrDefault("keyStorePassword", ""), Path.of(ca))
                : new TlsFiles.Pem(Path.of(cert), Path.of(p.getOrDefault("keyFile", "")), Path.of(ca));
        try {
            TlsIdentityLoader.check(files);
        } catch (RuntimeException e) {
            problems.add(where + e.getMessage());
        }
    }

    private static void checkStore(Map<String, String> p, String where, List<String> problems) {
        String url = p.get("storeUrl");
        if (blank(url)) {
            return;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            Path db = Path.of(url.substring("jdbc:sqlite:".length())).toAbsolutePath();
            Path dir = db.getParent();
            while (dir != null && !Files.exists(dir)) {
                dir = dir.getParent();
            }
            if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                problems.add(where + "the store " + db + " cannot be created: " + dir + " is not a writable directory");
            }
        } else if (url.startsWith("jdbc:postgresql:")) {
            Properties login = new Properties();
            putIfSet(login, "user", p.get("storeUser"));
            putIfSet(login, "password", p.get("storePassword"));
            login.setProperty("connectTimeout", "5");
            try (Connection connection = DriverManager.getConnection(url, login)) {
                connection.isValid(5);
            } catch (SQLException e) {
                problems.add(where + "the PostgreSQL store does not answer (" + e.getMessage() + "): check storeUrl,"
                        + " storeUser, storePassword and that the server runs");
            }
        }
    }

    /** The templated routes of a file, each as routeId and parameter values (as written). */
    private static List<Map<String, String>> pipelines(String content) {
        List<Map<String, String>> pipelines = new ArrayList<>();
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().build()).loadFromString(content);
        } catch (RuntimeException e) {
            return pipelines; // a syntax error, reported by the route file check
        }
        if (!(doc instanceof List<?> entries)) {
            return pipelines;
        }
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> map && map.get("templatedRoute") instanceof Map<?, ?> route) {
                Map<String, String> values = new LinkedHashMap<>();
                values.put("routeId", String.valueOf(route.get("routeId")));
                if (route.get("parameters") instanceof List<?> params) {
                    for (Object param : params) {
                        if (param instanceof Map<?, ?> m && m.get("value") != null) {
                            values.put(String.valueOf(m.get("name")), String.valueOf(m.get("value")));
                        }
                    }
                }
                pipelines.add(values);
            }
        }
        return pipelines;
    }

    private static Map<String, String> resolved(DefaultCamelContext context, Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            try {
                out.put(name, context.resolvePropertyPlaceholders(value));
            } catch (RuntimeException e) {
                out.put(name, value);
            }
        });
        return out;
    }

    private static void putIfSet(Properties properties, String key, String value) {
        if (!blank(value)) {
            properties.setProperty(key, value);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
