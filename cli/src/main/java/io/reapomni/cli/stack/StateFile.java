package io.reapomni.cli.stack;

import io.reapomni.common.json.StrictJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The state of a running stack on disk. It holds the S3 secret, so it is created readable by its owner only
 * (mode 0600) before a byte is written, and replaced atomically so that a reader never sees half of it.
 */
public final class StateFile {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private StateFile() {
    }

    public static void write(Path file, StackState state) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.write(temporary, StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The recorded state, or empty when no stack was started in this folder (or it was stopped). */
    public static Optional<StackState> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StrictJson.MAPPER.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new IOException("the stack state file " + file + " is unreadable (" + e.getMessage()
                    + "); stop the stack's processes by hand and delete it", e);
        }
    }

    public static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }
}
