package io.reapomni.common.storage;

import io.reapomni.common.storage.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalObjectStoreTest {

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../b", "/etc/passwd", "a\\..\\..\\b"})
    void refusesKeysThatLeaveTheRoot(String key) throws IOException {
        Files.writeString(folder.resolve("x"), "outside");
        LocalObjectStore store = new LocalObjectStore(folder.resolve("root"));
        assertThatThrownBy(() -> store.size(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read(key, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write(key, List.of(new Segment.Bytes(new byte[1])), CopyListener.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(folder.resolve("x"))).isEqualTo("outside");
    }

    @Test
    void refusesKeysThatLeaveTheRootThroughASymlink() throws IOException {
        Path outside = Files.createDirectories(folder.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Path root = Files.createDirectories(folder.resolve("root"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        LocalObjectStore store = new LocalObjectStore(root);

        assertThatThrownBy(() -> store.readAll("link/secret.txt", 100)).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.write("link/new.txt", List.of(new Segment.Bytes(new byte[1])), CopyListener.NONE))
                .hasMessageContaining("symbolic link");
        assertThat(outside.resolve("new.txt")).doesNotExist();
    }

    @Test
    void aHuggingFaceSnapshotReadsThroughLinksIntoItsOwnBlobsAndNowhereElse() throws IOException {
        Path repo = folder.resolve("hub").resolve("models--Qwen--tiny");
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve("0123abc"));
        Files.writeString(blobs.resolve("9f86d08"), "config");
        Files.createSymbolicLink(snapshot.resolve("config.json"), Path.of("..", "..", "blobs", "9f86d08"));
        Path otherBlobs = Files.createDirectories(folder.resolve("hub").resolve("models--Other--x").resolve("blobs"));
        Files.writeString(otherBlobs.resolve("e3b0c44"), "someone else's");
        Files.createSymbolicLink(snapshot.resolve("stolen.json"),
                Path.of("..", "..", "..", "models--Other--x", "blobs", "e3b0c44"));
        Files.writeString(folder.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(snapshot.resolve("secret.txt"), folder.resolve("secret.txt"));
        LocalObjectStore store = new LocalObjectStore(snapshot);

        assertThat(store.list()).extracting(ObjectInfo::key).contains("config.json");
        assertThat(new String(store.readAll("config.json", 100))).isEqualTo("config");
        assertThatThrownBy(() -> store.readAll("stolen.json", 100)).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.readAll("secret.txt", 100)).hasMessageContaining("symbolic link");
        // The exception is for reading: nothing is written or deleted through a link into the blobs.
        assertThatThrownBy(() -> store.write("config.json", List.of(new Segment.Bytes(new byte[1])), CopyListener.NONE))
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.delete("config.json")).hasMessageContaining("symbolic link");
        assertThat(Files.readString(blobs.resolve("9f86d08"))).isEqualTo("config");
    }

    @Test
    void blobsBesideAFolderThatIsNotASnapshotAreOutsideLikeAnythingElse() throws IOException {
        Path repo = folder.resolve("models--Qwen--tiny");
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Path model = Files.createDirectories(repo.resolve("not-snapshots").resolve("rev"));
        Files.writeString(blobs.resolve("9f86d08"), "config");
        Files.createSymbolicLink(model.resolve("config.json"), Path.of("..", "..", "blobs", "9f86d08"));

        assertThatThrownBy(() -> new LocalObjectStore(model).readAll("config.json", 100))
                .hasMessageContaining("symbolic link");
    }

    @Test
    void writesAnObjectIfAbsentOnlyOnceAndLeavesNoTemporaryFile() throws IOException {
        LocalObjectStore store = new LocalObjectStore(folder.resolve("root"));

        assertThat(store.writeIfAbsent("a/marker", new byte[] {1})).isTrue();
        assertThat(store.writeIfAbsent("a/marker", new byte[] {2, 2})).isFalse();

        assertThat(store.readAll("a/marker", 10)).containsExactly(1);
        try (var files = Files.list(folder.resolve("root").resolve("a"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("marker");
        }
    }

    @Test
    void writesMixedSegmentsCopyingLocalRangesInPlace() throws IOException {
        byte[] source = TestData.bytes(1, 300_000);
        LocalObjectStore sources = new LocalObjectStore(folder.resolve("sources"));
        sources.write("shard.bin", List.of(new Segment.Bytes(source)), CopyListener.NONE);
        LocalObjectStore target = new LocalObjectStore(folder.resolve("target"));
        byte[] header = "header".getBytes();

        RecordingListener listener = new RecordingListener();
        target.write("out/model.bin", List.of(
                new Segment.Bytes(header),
                new Segment.Range(sources, "shard.bin", 1000, 200_000),
                new Segment.Range(sources, "shard.bin", 0, 10)), listener);

        byte[] expected = concat(header, Arrays.copyOfRange(source, 1000, 201_000), Arrays.copyOfRange(source, 0, 10));
        assertThat(target.readAll("out/model.bin", 1 << 20)).isEqualTo(expected);
        assertThat(listener.copiedInPlace).isEqualTo(200_010);
        assertThat(listener.streamed).isEqualTo(header.length);
    }

    @Test
    void streamsRangesFromOtherKindsOfStore() throws IOException {
        byte[] source = TestData.bytes(2, 50_000);
        LocalObjectStore local = new LocalObjectStore(folder.resolve("sources"));
        local.write("a.bin", List.of(new Segment.Bytes(source)), CopyListener.NONE);
        ObjectStore foreign = new ForwardingStore(local);
        LocalObjectStore target = new LocalObjectStore(folder.resolve("target"));

        RecordingListener listener = new RecordingListener();
        target.write("b.bin", List.of(new Segment.Range(foreign, "a.bin", 100, 40_000)), listener);

        assertThat(target.readAll("b.bin", 1 << 20)).isEqualTo(Arrays.copyOfRange(source, 100, 40_100));
        assertThat(listener.streamed).isEqualTo(40_000);
        assertThat(listener.copiedInPlace).isZero();
    }

    @Test
    void failedWriteLeavesNeitherObjectNorTemporaryFile() throws IOException {
        LocalObjectStore store = new LocalObjectStore(folder);
        store.write("src.bin", List.of(new Segment.Bytes(new byte[100])), CopyListener.NONE);

        assertThatThrownBy(() -> store.write("dir/out.bin", List.of(
                new Segment.Bytes(new byte[5000]),
                new Segment.Range(store, "src.bin", 50, 51)), CopyListener.NONE))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("exceeds object src.bin");

        assertThat(store.exists("dir/out.bin")).isFalse();
        try (Stream<Path> left = Files.list(folder.resolve("dir"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void failedWriteKeepsThePreviousObject() throws IOException {
        LocalObjectStore store = new LocalObjectStore(folder);
        store.write("out.bin", List.of(new Segment.Bytes("old".getBytes())), CopyListener.NONE);

        assertThatThrownBy(() -> store.write("out.bin", List.of(
                new Segment.Bytes("new".getBytes()),
                new Segment.Range(store, "missing.bin", 0, 1)), CopyListener.NONE))
                .isInstanceOf(NoSuchObjectException.class);

        assertThat(store.readAll("out.bin", 10)).isEqualTo("old".getBytes());
    }

    @Test
    void readsRangesAndRefusesRangesPastTheEnd() throws IOException {
        byte[] content = TestData.bytes(3, 1000);
        LocalObjectStore store = new LocalObjectStore(folder);
        store.write("a.bin", List.of(new Segment.Bytes(content)), CopyListener.NONE);

        try (InputStream in = store.read("a.bin", 990, 10)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 990, 1000));
        }
        assertThatThrownBy(() -> store.read("a.bin", 990, 11)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> store.read("b.bin", 0, 1)).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void listsRecursivelySortedWithoutTemporaryFiles() throws IOException {
        LocalObjectStore store = new LocalObjectStore(folder);
        store.write("b/c.bin", List.of(new Segment.Bytes(new byte[3])), CopyListener.NONE);
        store.write("a.json", List.of(new Segment.Bytes(new byte[2])), CopyListener.NONE);
        Files.write(folder.resolve("b/.d.bin.part-0123456789abcdef"), new byte[7]);

        assertThat(store.list()).containsExactly(new ObjectInfo("a.json", 2), new ObjectInfo("b/c.bin", 3));
        assertThat(store.child("b").list()).containsExactly(new ObjectInfo("c.bin", 3));
        assertThat(new LocalObjectStore(folder.resolve("absent")).list()).isEmpty();
    }

    @Test
    void readAllRefusesLargerObjects() throws IOException {
        LocalObjectStore store = new LocalObjectStore(folder);
        store.write("big.bin", List.of(new Segment.Bytes(new byte[101])), CopyListener.NONE);
        assertThatThrownBy(() -> store.readAll("big.bin", 100)).hasMessageContaining("101 bytes");
        assertThatThrownBy(() -> store.size("nope")).isInstanceOf(NoSuchObjectException.class);
        store.delete("big.bin");
        assertThat(store.exists("big.bin")).isFalse();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
