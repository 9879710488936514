package io.reapomni.common.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRootsTest {

    @TempDir
    Path temp;

    @Test
    void withoutRootsEveryLocalFolderIsRefusedWithTheReason() throws IOException {
        Path model = Files.createDirectories(temp.resolve("model"));

        assertThatThrownBy(() -> LocalRoots.none().requireReadable(local(model)))
                .isInstanceOf(LocalLocationRefusedException.class)
                .hasMessage(model + " is not under the local folders this service may use (REAP_LOCAL_ROOTS: none"
                        + " are set, so no local folder may be used: the job must name s3:// locations, or the"
                        + " service must be given the folders it may use)");
        assertThatThrownBy(() -> LocalRoots.parse("").requireWritable(local(temp.resolve("out"))))
                .isInstanceOf(LocalLocationRefusedException.class);
    }

    @Test
    void foldersUnderARootAreReadAndFoldersInsideOneAreWritten() throws IOException {
        Path root = Files.createDirectories(temp.resolve("models"));
        Path model = Files.createDirectories(root.resolve("qwen3-omni"));
        LocalRoots roots = LocalRoots.parse(temp.resolve("elsewhere") + ":" + root);

        roots.requireReadable(local(model));
        roots.requireReadable(local(root));
        roots.requireWritable(local(root.resolve("pruned/not-yet")));
        assertThatThrownBy(() -> roots.requireWritable(local(root)))
                .as("an output is staged in its parent folder, which lies outside")
                .hasMessageContaining(root + " is not inside the local folders this service may use");
        assertThatThrownBy(() -> roots.requireReadable(local(temp.resolve("models-2"))))
                .hasMessageContaining("models-2 is not under");
    }

    @Test
    void aLinkIsJudgedByWhereItLeads() throws IOException {
        Path root = Files.createDirectories(temp.resolve("root"));
        Path outside = Files.createDirectories(temp.resolve("outside/secret"));
        Path escape = Files.createSymbolicLink(root.resolve("escape"), outside);
        LocalRoots roots = new LocalRoots(List.of(root));

        assertThatThrownBy(() -> roots.requireReadable(local(escape)))
                .isInstanceOf(LocalLocationRefusedException.class)
                .hasMessageContaining(escape + " (really " + outside.toRealPath() + ") is not under");
        assertThatThrownBy(() -> roots.requireWritable(local(escape.resolve("new-output"))))
                .hasMessageContaining("(really " + outside.toRealPath().resolve("new-output") + ")");
    }

    @Test
    void aRootThatIsALinkAllowsWhatLiesInTheFolderItLeadsTo() throws IOException {
        Path real = Files.createDirectories(temp.resolve("disk/models"));
        Path linkedRoot = Files.createSymbolicLink(temp.resolve("models"), real);
        LocalRoots roots = new LocalRoots(List.of(linkedRoot));

        roots.requireReadable(local(Files.createDirectories(real.resolve("a"))));
        roots.requireWritable(local(linkedRoot.resolve("b")));
    }

    @Test
    void aRootThatDoesNotExistYetHoldsTheFoldersThatWillBeCreatedInIt() {
        Path root = temp.resolve("later");
        LocalRoots roots = new LocalRoots(List.of(root));

        roots.requireWritable(local(root.resolve("out")));
        assertThatThrownBy(() -> roots.requireWritable(local(temp.resolve("out"))))
                .isInstanceOf(LocalLocationRefusedException.class);
    }

    @Test
    void rootsAreAbsolutePaths() {
        assertThatThrownBy(() -> LocalRoots.parse("/srv/models:relative/models"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REAP_LOCAL_ROOTS names folders by absolute paths, not relative/models");
        assertThat(LocalRoots.parse(" /srv/models : /tmp/../tmp ").roots())
                .containsExactly(Path.of("/srv/models"), Path.of("/tmp"));
        assertThat(LocalRoots.parse("/srv/models:/tmp")).hasToString("/srv/models:/tmp");
    }

    @Test
    void anAccessOpensLocalFoldersUnderItsRootsAndChecksOutputs() throws IOException {
        Path root = Files.createDirectories(temp.resolve("root"));
        Files.writeString(root.resolve("config.json"), "{}");
        StoreAccess access = new StoreAccess(() -> {
            throw new IllegalStateException("S3 is not configured");
        }, new LocalRoots(List.of(root)));

        try (ObjectStore store = access.openForReading(local(root))) {
            assertThat(store.exists("config.json")).isTrue();
        }
        access.requireWritable(local(root.resolve("out")));
        access.requireWritable(StoreLocation.parse("s3://models/out"));
        assertThatThrownBy(() -> access.openForReading(local(temp)))
                .isInstanceOf(LocalLocationRefusedException.class);
        assertThatThrownBy(() -> access.openForReading(StoreLocation.parse("s3://models/qwen")))
                .isInstanceOf(IllegalStateException.class).hasMessage("S3 is not configured");
    }

    private static StoreLocation.Local local(Path folder) {
        return (StoreLocation.Local) StoreLocation.parse(folder.toString());
    }
}
