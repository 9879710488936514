package io.reapomni.cli.stack;

import io.reapomni.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stack's run folder is this user's alone: created so, and refused when someone else prepared it. */
class PrivateFolderTest {

    @TempDir
    Path temp;

    @Test
    void aMissingFolderIsCreatedOwnerOnlyWithItsMissingParents() throws IOException {
        Path folder = temp.resolve("home/.reap-omni/stack");

        PrivateFolder.createOrCheck(folder);

        assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(PrivateFolder.OWNER_ONLY);
        assertThat(Files.getPosixFilePermissions(folder.getParent())).isEqualTo(PrivateFolder.OWNER_ONLY);
        assertThat(Files.getPosixFilePermissions(temp.resolve("home"))).isEqualTo(PrivateFolder.OWNER_ONLY);
        PrivateFolder.createOrCheck(folder);
    }

    @Test
    void aFolderOpenToOtherUsersIsRefusedAndLeftAsItWas() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("stack"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> PrivateFolder.createOrCheck(folder))
                .isInstanceOf(PrivateFolder.UnsafeFolderException.class)
                .hasMessageContaining("is open to other users (mode rwxr-xr-x)")
                .hasMessageContaining("chmod 700 " + folder);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void aLinkIsJudgedByTheFolderItLeadsTo() throws IOException {
        Path open = Files.createDirectories(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path mine = Files.createDirectories(temp.resolve("mine"));
        Files.setPosixFilePermissions(mine, PrivateFolder.OWNER_ONLY);

        assertThatThrownBy(() -> PrivateFolder.createOrCheck(Files.createSymbolicLink(temp.resolve("to-open"), open)))
                .hasMessageContaining("is open to other users");
        PrivateFolder.createOrCheck(Files.createSymbolicLink(temp.resolve("to-mine"), mine));
    }

    @Test
    void aFolderOwnedByAnotherUserIsRefused() throws IOException {
        Path foreign = foreignFolder();

        assertThatThrownBy(() -> PrivateFolder.createOrCheck(foreign))
                .isInstanceOf(PrivateFolder.UnsafeFolderException.class)
                .hasMessageContaining("belongs to " + Files.getOwner(foreign).getName() + ", not to you ("
                        + System.getProperty("user.name") + ")");
    }

    @Test
    void theStackCommandsRefuseAFolderOpenToOthersAndNeverReadTheStateInIt() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("prepared"));
        Files.writeString(folder.resolve("stack.json"), "{\"bootstrapServers\": \"attacker:9092\"}");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

        CliRun status = CliRun.of("stack", "status", "--run-folder", folder);
        CliRun up = CliRun.of("stack", "up", "--run-folder", folder);
        CliRun jobs = CliRun.of("jobs", "--run-folder", folder);

        for (CliRun run : java.util.List.of(status, up, jobs)) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.err()).contains("is open to other users").doesNotContain("attacker");
        }
        assertThat(folder.resolve("kafka")).doesNotExist();
    }

    /**
     * A folder that belongs to someone else: as root, a folder given to the conventional unprivileged user
     * {@code nobody}; as anyone else, the file system's root, which belongs to root.
     */
    private Path foreignFolder() throws IOException {
        if (!System.getProperty("user.name").equals("root")) {
            return Path.of("/");
        }
        Path folder = Files.createDirectories(temp.resolve("theirs"));
        Files.setPosixFilePermissions(folder, PrivateFolder.OWNER_ONLY);
        UserPrincipal nobody = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(folder, nobody);
        return folder;
    }
}
