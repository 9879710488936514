package io.reapomni.cli.stack;

import io.reapomni.common.storage.LocalRoots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stack that a command starts runs with: its calibration workers, and the local folders that its services may
 * read and write for jobs ({@code REAP_LOCAL_ROOTS}).
 * <p>
 * A job names its folders in an event, and the services act on what events say, so they get only the folders a
 * user of this machine works in: the home folder and the temporary folder, the folders given to
 * {@code stack up --local-root}, and, for a stack that a job starts for itself, that job's own folders. The broker
 * takes events only from this user (its password is in the user's own stack folder); the roots keep even those
 * events to these folders.
 */
public record StackSettings(int workers, LocalRoots localRoots) {

    /** The home and temporary folders, and {@code more}. */
    public static StackSettings of(int workers, List<Path> more) {
        List<Path> roots = new ArrayList<>(List.of(Path.of(System.getProperty("user.home")),
                Path.of(System.getProperty("java.io.tmpdir"))));
        more.forEach(folder -> roots.add(folder.toAbsolutePath().normalize()));
        return new StackSettings(workers, new LocalRoots(roots));
    }
}
