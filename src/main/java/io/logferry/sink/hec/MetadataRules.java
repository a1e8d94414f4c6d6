package io.logferry.sink.hec;

import io.logferry.batch.LogLine;

import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves each line's metadata: the sink's defaults, overridden by the first per-file rule whose glob
 * matches the line's file (see {@link HecConfiguration#setOverrides}). Results are cached per path, which
 * is bounded by the files followed. Thread-safe.
 */
final class MetadataRules {

    private static final int CACHE_LIMIT = 10_000;

    private final HecMetadata defaults;
    private final List<Rule> rules;
    private final Map<String, HecMetadata> byPath = new ConcurrentHashMap<>();

    MetadataRules(HecMetadata defaults, String overrides) {
        this.defaults = defaults;
        this.rules = parse(overrides);
    }

    HecMetadata of(LogLine line) {
        HecMetadata forFile = byPath.get(line.path());
        if (forFile == null) {
            if (byPath.size() > CACHE_LIMIT) {
                byPath.clear();
            }
            forFile = resolve(Path.of(line.path()));
            byPath.put(line.path(), forFile);
        }
        if (!forFile.source().isEmpty() && !forFile.host().isEmpty()) {
            return forFile;
        }
        return new HecMetadata(forFile.index(), forFile.sourcetype(),
                forFile.source().isEmpty() ? line.path() : forFile.source(),
                forFile.host().isEmpty() ? line.source() : forFile.host());
    }

    private HecMetadata resolve(Path file) {
        for (Rule rule : rules) {
            if (rule.matches(file)) {
                return defaults.overriddenBy(rule.metadata);
            }
        }
        return defaults;
    }

    private static List<Rule> parse(String overrides) {
        List<Rule> rules = new ArrayList<>();
        FileSystem fs = FileSystems.getDefault();
        for (String text : overrides.split(";")) {
            if (text.isBlank()) {
                continue;
            }
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("HEC override '" + text.strip() + "' must look like"
                        + " 'glob: key=value, key=value', e.g. 'nginx/*.log: sourcetype=nginx, index=web'");
            }
            String glob = text.substring(0, colon).strip();
            boolean byPath = glob.contains("/");
            PathMatcher matcher = fs.getPathMatcher("glob:" + (byPath ? absolute(glob) : glob));
            rules.add(new Rule(matcher, byPath, metadata(text.substring(colon + 1), text.strip())));
        }
        return rules;
    }

    private static HecMetadata metadata(String assignments, String rule) {
        String index = "", sourcetype = "", source = "", host = "";
        for (String assignment : assignments.split(",")) {
            String[] kv = assignment.split("=", 2);
            String key = kv[0].strip();
            String value = kv.length == 2 ? kv[1].strip() : "";
            if (value.isEmpty()) {
                throw new IllegalArgumentException("HEC override '" + rule + "': '" + assignment.strip()
                        + "' needs a value, as in sourcetype=nginx");
            }
            switch (key) {
                case "index" -> index = value;
                case "sourcetype" -> sourcetype = value;
                case "source" -> source = value;
                case "host" -> host = value;
                default -> throw new IllegalArgumentException("HEC override '" + rule + "': unknown key '" + key
                        + "' (known: index, sourcetype, source, host)");
            }
        }
        return new HecMetadata(index, sourcetype, source, host);
    }

    private static String absolute(String glob) {
        return glob.startsWith("/") ? glob : Path.of("").toAbsolutePath() + "/" + glob;
    }

    private record Rule(PathMatcher matcher, boolean byPath, HecMetadata metadata) {
        boolean matches(Path file) {
            Path name = file.getFileName();
            return byPath ? matcher.matches(file.toAbsolutePath()) : name != null && matcher.matches(name);
        }
    }
}
