package io.reapomni.cli.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A folder that only its owner, this user, may read, enter or change (mode 0700): the embedded stack keeps its
 * credentials, its broker's and S3 endpoint's data, the scoring state and the logs in one. A folder that someone
 * else prepared (owned by another user, or open to group or others, or a link to such a folder) is refused rather
 * than used or repaired, because what is inside it may already be theirs.
 */
final class PrivateFolder {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.complementOf(EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));

    private PrivateFolder() {
    }

    /**
     * Creates {@code folder} with mode 0700, and each missing parent likewise, or checks the existing one.
     *
     * @throws UnsafeFolderException when it exists and is not this user's alone
     */
    static void createOrCheck(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath().normalize();
        List<Path> missing = new ArrayList<>();
        for (Path path = absolute; path != null && !Files.exists(path); path = path.getParent()) {
            missing.add(0, path);
        }
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        for (Path path : missing) {
            try {
                Files.createDirectory(path, ownerOnly);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Another command created it in the meantime; it is checked below like any existing folder.
            }
        }
        check(absolute);
    }

    /**
     * Checks that {@code folder}, which exists, is a folder owned by this user that no one else may use; a symbolic
     * link is judged by the folder it leads to.
     *
     * @throws UnsafeFolderException naming what is wrong and how to put it right
     */
    static void check(Path folder) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(folder, PosixFileAttributes.class);
        if (!attributes.isDirectory()) {
            throw new UnsafeFolderException(folder + " is not a folder; give --run-folder a folder of your own");
        }
        UserPrincipal me = folder.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!attributes.owner().equals(me)) {
            throw new UnsafeFolderException("the stack folder " + folder + " belongs to " + attributes.owner().getName()
                    + ", not to you (" + me.getName() + "): it is not used; remove it, or give --run-folder a folder"
                    + " of your own");
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(attributes.permissions());
        open.retainAll(GROUP_OR_OTHERS);
        if (!open.isEmpty()) {
            throw new UnsafeFolderException("the stack folder " + folder + " is open to other users (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + "): it holds the stack's credentials,"
                    + " so it is not used; make it yours alone with: chmod 700 " + folder);
        }
    }

    /** A stack folder that is not this user's alone. */
    static final class UnsafeFolderException extends IOException {
        UnsafeFolderException(String message) {
            super(message);
        }
    }
}
