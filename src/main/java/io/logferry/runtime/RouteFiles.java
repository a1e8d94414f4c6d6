package io.logferry.runtime;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The user's route files, each loaded into the context on its own and remembered with the routes it created,
 * so that one file can be reloaded or removed without touching the routes of the others.
 *
 * <p>A reload first checks the new content (YAML syntax, templates and their parameters, route ids used by
 * another file): a problem refuses the edit and the file's routes keep running untouched. Otherwise the file's
 * routes are stopped gracefully (the tail stops reading, the open batch is flushed, and what was delivered is
 * committed) and removed, and the new content is loaded; the routes resume from their committed offsets
 * because offsets are kept per route id and file fingerprint. If the new content fails while its routes are
 * created or started (an unknown endpoint option, a glob whose directory is a file), whatever it created is
 * removed and the previous content is loaded again, so the previous routes run again from their offsets.
 * Thread-safe: loading and reloading hold this object's lock; {@link #routeIds()} and {@link #lastRefusal()}
 * read what the last completed operation published and never wait for a reload in progress.
 */
final class RouteFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    /** One loaded file: the content that runs and the route definitions it created. */
    private record Loaded(Path file, String content, List<RouteDefinition> routes) {
        List<String> routeIds() {
            return routes.stream().map(RouteDefinition::getRouteId).toList();
        }
    }

    /** What a reload did, for the watcher's counters. */
    enum Outcome { UNCHANGED, RELOADED, ADDED, REMOVED, REFUSED }

    private final CamelContext context;
    private final RouteFileCheck check = new RouteFileCheck();
    private final Map<Path, Loaded> files = new LinkedHashMap<>();
    // for readers that must not wait for a reload in progress (management, the watcher's rescans)
    private volatile List<Loaded> published = List.of();
    private volatile String lastRefusal;

    RouteFiles(CamelContext context) {
        this.context = context;
    }

    /**
     * Loads every file before the context starts (their routes start with it). Files that declare route
     * templates come first, so templated routes in other files find them. Throws what Camel throws.
     */
    synchronized void loadAll(List<Path> paths) throws Exception {
        Map<Path, String> contents = new LinkedHashMap<>();
        for (Path path : paths) {
            contents.put(path, Files.readString(path));
        }
        List<Path> ordered = new ArrayList<>(contents.keySet());
        ordered.sort(Comparator.comparing(p -> check.declaresTemplates(contents.get(p)) ? 0 : 1));
        for (Path path : ordered) {
            List<RouteDefinition> added = new ArrayList<>();
            load(path, contents.get(path), added);
            files.put(key(path), new Loaded(path, contents.get(path), added));
        }
        publish();
    }

    /**
     * Brings the routes of one file in line with the file on disk: loads a new file, reloads a changed one,
     * removes the routes of a deleted one. Never throws; every outcome is logged.
     */
    synchronized Outcome reload(Path file) {
        try {
            return doReload(file);
        } finally {
            publish();
        }
    }

    private Outcome doReload(Path file) {
        Loaded old = files.get(key(file));
        String content;
        try {
            content = Files.readString(file);
        } catch (NoSuchFileException e) {
            return old == null ? Outcome.UNCHANGED : remove(old);
        } catch (IOException e) {
            return refuse(file, List.of(file + ": cannot read it (" + e + ")"), old, false);
        }
        if (old != null && old.content().equals(content)) {
            LOG.debug("{} has the content that runs; nothing to reload", file);
            return Outcome.UNCHANGED;
        }
        List<String> problems;
        try {
            problems = check.checkBeforeReload(file, contentsWith(file, content));
        } catch (IOException | RuntimeException e) {
            problems = List.of(file + ": cannot check it (" + e + ")");
        }
        if (!problems.isEmpty()) {
            return refuse(file, problems, old, false);
        }
        long started = System.nanoTime();
        List<String> stopped = old == null ? List.of() : stopAndRemove(old);
        List<RouteDefinition> added = new ArrayList<>();
        try {
            load(file, content, added);
        } catch (Exception e) {
            discard(added);
            Loaded restored = old == null ? null : restore(old);
            return refuse(file, List.of(file + ": " + StartupFailure.describe(e)), restored, true);
        }
        Loaded now = new Loaded(file, content, added);
        files.put(key(file), now);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (old == null) {
            LOG.info("Loaded new route file {}: started {} in {} ms", file, now.routeIds(), millis);
            return Outcome.ADDED;
        }
        LOG.info("Reloaded {}: stopped {}, started {} in {} ms (offsets resume where they were committed)",
                file, stopped, now.routeIds(), millis);
        return Outcome.RELOADED;
    }

    /** The ids of the routes each loaded file created. */
    Map<Path, List<String>> routeIds() {
        Map<Path, List<String>> ids = new LinkedHashMap<>();
        published.forEach(loaded -> ids.put(loaded.file(), loaded.routeIds()));
        return ids;
    }

    /** The reason the last refused edit was refused, or null. */
    String lastRefusal() {
        return lastRefusal;
    }

    private void publish() {
        published = List.copyOf(files.values());
    }

    private Outcome remove(Loaded old) {
        List<String> stopped = stopAndRemove(old);
        files.remove(key(old.file()));
        LOG.info("Route file {} was removed: stopped and removed {}", old.file(), stopped);
        return Outcome.REMOVED;
    }

    private Outcome refuse(Path file, List<String> problems, Loaded running, boolean restarted) {
        lastRefusal = String.join("; ", problems);
        String prefix = file + ": ";
        for (String problem : problems) {
            LOG.error("Refused the change to {}: {}", file,
                    problem.startsWith(prefix) ? problem.substring(prefix.length()) : problem);
        }
        if (running != null && restarted) {
            LOG.error("The previous routes of {} were started again and resume from their committed offsets: {}."
                    + " Fix the file; it is reloaded when saved.", file, running.routeIds());
        } else if (running != null) {
            LOG.error("The routes of {} keep running as they were: {}. Fix the file; it is reloaded when saved.",
                    file, running.routeIds());
        } else {
            LOG.error("No route of {} runs. Fix the file; it is loaded when saved.", file);
        }
        return Outcome.REFUSED;
    }

    /**
     * Loads the previous content again after the new one failed; its routes resume from their offsets.
     * Returns what runs again, or null when that failed too.
     */
    private Loaded restore(Loaded old) {
        List<RouteDefinition> added = new ArrayList<>();
        try {
            load(old.file(), old.content(), added);
            Loaded restored = new Loaded(old.file(), old.content(), added);
            files.put(key(old.file()), restored);
            return restored;
        } catch (Exception e) {
            discard(added);
            files.remove(key(old.file()));
            LOG.error("The previous routes of {} could not be started again either: {}", old.file(),
                    StartupFailure.describe(e));
            return null;
        }
    }

    /** Loads one file's content; {@code added} receives the route definitions it created, even on failure. */
    private void load(Path file, String content, List<RouteDefinition> added) throws Exception {
        ModelCamelContext model = (ModelCamelContext) context;
        Set<RouteDefinition> before = Collections.newSetFromMap(new IdentityHashMap<>());
        before.addAll(model.getRouteDefinitions());
        try {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("file:" + file, content));
        } finally {
            for (RouteDefinition definition : model.getRouteDefinitions()) {
                if (!before.contains(definition)) {
                    added.add(definition);
                }
            }
        }
    }

    /**
     * Stops each route gracefully, as at shutdown: the tail stops reading, the Aggregator completes its open
     * batch (forceCompletionOnStop), in-flight batches are delivered and commit. Then the route is removed.
     * Returns the ids.
     */
    private List<String> stopAndRemove(Loaded loaded) {
        List<String> ids = new ArrayList<>();
        for (RouteDefinition definition : loaded.routes()) {
            String id = definition.getRouteId();
            ids.add(id);
            try {
                // stops the route first, gracefully (camel.main.shutdown-timeout), then removes it
                ((ModelCamelContext) context).removeRouteDefinition(definition);
            } catch (Exception e) {
                LOG.error("Could not stop and remove route {} of {}: {}", id, loaded.file(),
                        StartupFailure.describe(e));
            }
        }
        return ids;
    }

    /** Removes what a failed load created; nothing of it may keep running. */
    private void discard(List<RouteDefinition> added) {
        for (RouteDefinition definition : added) {
            try {
                String id = definition.getRouteId();
                if (id != null && context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
                ((ModelCamelContext) context).removeRouteDefinition(definition);
            } catch (Exception e) {
                LOG.debug("Removing route {} after a failed load: {}", definition.getRouteId(), e.toString());
            }
        }
    }

    private Map<Path, String> contentsWith(Path file, String content) {
        Map<Path, String> contents = new LinkedHashMap<>();
        files.values().forEach(loaded -> contents.put(loaded.file(), loaded.content()));
        contents.keySet().removeIf(p -> key(p).equals(key(file)));
        contents.put(file, content);
        return contents;
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
