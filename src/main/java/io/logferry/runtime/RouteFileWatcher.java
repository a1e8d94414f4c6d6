package io.logferry.runtime;

import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the directories of the user's route files and hands each created, changed or deleted file to
 * {@link RouteFiles} once the directory has been quiet for the reload delay: an editor's save (truncate and
 * write, or write a temporary file and rename it over the old one) is then one reload of the finished file,
 * not several of half-written ones. Camel's own route watcher is not used: in Camel 4.18 it does not reload
 * {@code templatedRoute} files, and with {@code removeAllRoutes} it also removes the shipped templates.
 * One daemon thread; reloads run on it one at a time. Managed as
 * {@code org.apache.camel:context=NAME,type=services,name=RouteFileWatcher}.
 */
@ManagedResource(description = "Reloads the routes of a route file when the file changes")
public final class RouteFileWatcher extends ServiceSupport implements StaticService {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileWatcher.class);
    private static final long POLL_MILLIS = 100;

    /** A watched directory and the glob file names must match in it. */
    record Watched(Path directory, String glob) {
    }

    private final RouteFiles routeFiles;
    private final List<Watched> watched;
    private final long delayMillis;
    private final Map<WatchKey, Watched> keys = new HashMap<>();
    private final AtomicLong reloaded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private WatchService service;
    private Thread thread;
    private volatile boolean running;

    RouteFileWatcher(RouteFiles routeFiles, List<Watched> watched, long delayMillis) {
        this.routeFiles = routeFiles;
        this.watched = List.copyOf(watched);
        this.delayMillis = delayMillis;
    }

    /** The directories to watch for a route pattern such as {@code file:config/routes/*.yaml} (comma-separated). */
    static List<Watched> directoriesOf(String patterns) {
        List<Watched> dirs = new ArrayList<>();
        for (String pattern : patterns.split(",")) {
            String p = pattern.strip();
            if (p.startsWith("file:")) {
                Path glob = Path.of(p.substring("file:".length()));
                Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
                dirs.add(new Watched(dir, glob.getFileName().toString()));
            }
        }
        return dirs;
    }

    @Override
    protected void doStart() throws IOException {
        service = FileSystems.getDefault().newWatchService();
        for (Watched w : watched) {
            if (!Files.isDirectory(w.directory())) {
                LOG.warn("Route directory {} does not exist; route files created there later are not loaded",
                        w.directory());
                continue;
            }
            WatchKey key = w.directory().register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            keys.put(key, w);
            LOG.info("Reloading route files {}/{} when they change (logferry.routes.reload-enabled)",
                    w.directory(), w.glob());
        }
        running = true;
        thread = new Thread(this::run, "logferry-route-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (service != null) {
            service.close();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(60)); // a reload in progress finishes its graceful stop
        }
        keys.clear();
    }

    @ManagedAttribute(description = "Milliseconds a directory must be quiet before its changed files are reloaded")
    public long getReloadDelay() {
        return delayMillis;
    }

    @ManagedAttribute(description = "Route files loaded, reloaded or removed since start")
    public long getReloads() {
        return reloaded.get();
    }

    @ManagedAttribute(description = "Edits refused since start (the previous routes kept running)")
    public long getRefusedReloads() {
        return refused.get();
    }

    @ManagedAttribute(description = "Why the last refused edit was refused")
    public String getLastRefusal() {
        return routeFiles.lastRefusal();
    }

    @ManagedAttribute(description = "Route ids per route file")
    public String getRouteFiles() {
        return routeFiles.routeIds().toString();
    }

    private void run() {
        // files changed between loading (before the context started) and now are caught up at once
        Set<Path> pending = new LinkedHashSet<>();
        keys.values().forEach(w -> pending.addAll(filesOf(w)));
        long lastEventNanos = 0;
        while (running) {
            WatchKey key;
            try {
                key = service.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException | ClosedWatchServiceException e) {
                break;
            }
            if (key != null) {
                collect(key, pending);
                lastEventNanos = System.nanoTime();
                continue; // more events may follow at once: wait for the quiet period
            }
            if (!pending.isEmpty() && System.nanoTime() - lastEventNanos >= TimeUnit.MILLISECONDS.toNanos(delayMillis)) {
                for (Path file : pending) {
                    if (!running) {
                        break;
                    }
                    count(routeFiles.reload(file));
                }
                pending.clear();
            }
        }
    }

    private void collect(WatchKey key, Set<Path> pending) {
        Watched w = keys.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (w == null) {
                continue;
            }
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                pending.addAll(filesOf(w)); // events were lost: look at every file
                continue;
            }
            Path name = (Path) event.context();
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + w.glob());
            if (matcher.matches(name)) {
                pending.add(w.directory().resolve(name));
            }
        }
        if (!key.reset()) {
            LOG.warn("Route directory {} can no longer be watched (removed?); route files there are not reloaded"
                    + " any more", w == null ? "?" : w.directory());
            keys.remove(key);
        }
    }

    /** The files of a watched directory that match its glob, and the files loaded from it (perhaps deleted). */
    private Set<Path> filesOf(Watched w) {
        Set<Path> files = new LinkedHashSet<>();
        try (var stream = Files.newDirectoryStream(w.directory(), w.glob())) {
            stream.forEach(files::add);
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", w.directory(), e.toString());
        }
        Path dir = w.directory().toAbsolutePath().normalize();
        routeFiles.routeIds().keySet().stream()
                .filter(p -> dir.equals(p.toAbsolutePath().normalize().getParent()))
                .forEach(files::add);
        return files;
    }

    private void count(RouteFiles.Outcome outcome) {
        switch (outcome) {
            case REFUSED -> refused.incrementAndGet();
            case UNCHANGED -> { }
            default -> reloaded.incrementAndGet();
        }
    }
}
