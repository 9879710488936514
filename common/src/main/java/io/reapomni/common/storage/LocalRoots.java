package io.reapomni.common.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The local folders a service may read and write for a job: those under its configured roots
 * ({@value #VARIABLE}, folders separated by {@code :}). A job names its locations in an event, and a service must not
 * read or write wherever an event says; so without roots every local location is refused, and with roots a location
 * is judged by its real path (symbolic links resolved, also of the roots), so that no link leads out of them.
 */
public record LocalRoots(List<Path> roots) {

    public static final String VARIABLE = "REAP_LOCAL_ROOTS";

    /** @throws IllegalArgumentException when a root is not an absolute path */
    public LocalRoots {
        for (Path root : roots) {
            if (!root.isAbsolute()) {
                throw new IllegalArgumentException(VARIABLE + " names folders by absolute paths, not " + root);
            }
        }
        roots = roots.stream().map(Path::normalize).distinct().toList();
    }

    /** No local location at all: the default of a service, and what a cluster's services run with. */
    public static LocalRoots none() {
        return new LocalRoots(List.of());
    }

    /**
     * The roots in {@code text}, separated by the platform's path separator ({@code :}); blank means none.
     *
     * @throws IllegalArgumentException when an entry is not an absolute path
     */
    public static LocalRoots parse(String text) {
        List<Path> roots = new ArrayList<>();
        for (String entry : text.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                roots.add(Path.of(entry.strip()));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(VARIABLE + " holds an invalid path \"" + entry + "\": "
                        + e.getMessage(), e);
            }
        }
        return new LocalRoots(roots);
    }

    /** Whether a folder may be read: its real path is a root or lies under one. */
    public boolean readable(StoreLocation.Local location) {
        Path real = realPath(location.folder());
        return roots.stream().map(LocalRoots::realPath).anyMatch(real::startsWith);
    }

    /**
     * Whether a folder may be written: its real path lies inside a root, and is not a root itself, since a local
     * output is staged beside it and renamed into place, in its parent folder.
     */
    public boolean writable(StoreLocation.Local location) {
        Path real = realPath(location.folder());
        return roots.stream().map(LocalRoots::realPath).anyMatch(root -> real.startsWith(root) && !real.equals(root));
    }

    /** @throws LocalLocationRefusedException naming the location and the roots, unless it is {@link #readable} */
    public void requireReadable(StoreLocation.Local location) {
        if (!readable(location)) {
            throw refused(location, "is not under");
        }
    }

    /** @throws LocalLocationRefusedException naming the location and the roots, unless it is {@link #writable} */
    public void requireWritable(StoreLocation.Local location) {
        if (!writable(location)) {
            throw refused(location, "is not inside");
        }
    }

    /** The roots as {@value #VARIABLE} takes them. */
    @Override
    public String toString() {
        return roots.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private LocalLocationRefusedException refused(StoreLocation.Local location, String relation) {
        Path real = realPath(location.folder());
        String where = real.equals(location.folder()) ? location.toString() : location + " (really " + real + ")";
        String allowed = roots.isEmpty() ? "none are set, so no local folder may be used: the job must name s3://"
                + " locations, or the service must be given the folders it may use"
                : String.join(", ", roots.stream().map(Path::toString).toList());
        return new LocalLocationRefusedException(where + " " + relation + " the local folders this service may use ("
                + VARIABLE + ": " + allowed + ")");
    }

    /**
     * The path with every symbolic link resolved: that of its deepest existing folder, followed by the names that do
     * not exist yet (an output folder to be created). The path is absolute and normalised, so no {@code ..} is left
     * to climb out of a resolved folder.
     */
    static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the real path of " + path, e);
        }
    }
}
