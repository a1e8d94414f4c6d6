package io.logferry.tail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands include globs (relative ones against the working directory) into regular files, minus the
 * exclusions. An exclusion with a '/' matches the whole path, one without matches the file name
 * ({@code *.gz}). Each glob walks only the directory part before its first wildcard, and only as deep as
 * the glob reaches unless it contains {@code **}.
 */
public final class FileDiscovery {

    private static final String WILDCARDS = "*?[{";

    private final List<Root> roots = new ArrayList<>();
    private final List<PathMatcher> pathExcludes = new ArrayList<>();
    private final List<PathMatcher> nameExcludes = new ArrayList<>();

    FileDiscovery(List<String> includes, List<String> excludes) {
        FileSystem fs = FileSystems.getDefault();
        for (String include : includes) {
            roots.add(Root.of(fs, include));
        }
        for (String exclude : excludes) {
            if (exclude.contains("/")) {
                pathExcludes.add(fs.getPathMatcher("glob:" + absolute(exclude)));
            } else {
                nameExcludes.add(fs.getPathMatcher("glob:" + exclude));
            }
        }
    }

    /**
     * The files that comma-separated {@code paths} globs match now, less {@code exclude} ones, as the tail would
     * find them (for {@code logferry check}).
     */
    public static Set<Path> matching(String paths, String exclude) throws IOException {
        return new FileDiscovery(split(paths), split(exclude)).scan();
    }

    private static List<String> split(String globs) {
        return globs == null ? List.of() : Arrays.stream(globs.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** The directories the globs start from (for start-up checks and messages). */
    List<Path> baseDirectories() {
        return roots.stream().map(Root::base).toList();
    }

    /**
     * Returns the matching regular files. A base directory that does not exist yet yields nothing;
     * one that cannot be read fails with {@link AccessDeniedException}.
     */
    Set<Path> scan() throws IOException {
        Set<Path> found = new LinkedHashSet<>();
        for (Root root : roots) {
            walk(root, found);
        }
        return found;
    }

    private void walk(Root root, Set<Path> found) throws IOException {
        if (!Files.isDirectory(root.base())) {
            return;
        }
        try {
            Files.walkFileTree(root.base(), EnumSet.of(FileVisitOption.FOLLOW_LINKS), root.depth(),
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && root.matcher().matches(file) && !excluded(file)) {
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            if (e instanceof NoSuchFileException) {
                                return FileVisitResult.CONTINUE; // removed while walking
                            }
                            throw e;
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private boolean excluded(Path file) {
        for (PathMatcher m : pathExcludes) {
            if (m.matches(file)) {
                return true;
            }
        }
        Path name = file.getFileName();
        for (PathMatcher m : nameExcludes) {
            if (m.matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static String absolute(String glob) {
        return glob.startsWith("/") ? glob : Path.of("").toAbsolutePath() + "/" + glob;
    }

    private record Root(Path base, int depth, PathMatcher matcher) {

        static Root of(FileSystem fs, String glob) {
            String abs = absolute(glob.trim());
            String[] parts = abs.substring(1).split("/");
            StringBuilder base = new StringBuilder();
            int i = 0;
            while (i < parts.length - 1 && !hasWildcard(parts[i])) {
                base.append('/').append(parts[i]);
                i++;
            }
            int depth = abs.contains("**") ? Integer.MAX_VALUE : parts.length - i;
            Path basePath = Path.of(base.length() == 0 ? "/" : base.toString()).normalize();
            String pattern = basePath + abs.substring(base.length());
            return new Root(basePath, depth, fs.getPathMatcher("glob:" + pattern));
        }

        private static boolean hasWildcard(String part) {
            for (int i = 0; i < part.length(); i++) {
                if (WILDCARDS.indexOf(part.charAt(i)) >= 0) {
                    return true;
                }
            }
            return false;
        }
    }
}
