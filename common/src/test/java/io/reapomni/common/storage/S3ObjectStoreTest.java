package io.reapomni.common.storage;

import io.reapomni.common.storage.testing.S3ProxyExtension;
import io.reapomni.common.storage.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ObjectStoreTest {

    private static final int MIB = 1 << 20;

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir
    static Path folder;

    private static S3ObjectStore store;

    @BeforeAll
    static void openStore() {
        store = S3ObjectStore.open(S3.settings(), new StoreLocation.S3(S3.bucket(), "models/run-1"));
    }

    @AfterAll
    static void closeStore() throws IOException {
        store.close();
    }

    @Test
    void assemblesALargeObjectCopyingLongRangesServerSide() throws Exception {
        byte[] a = TestData.bytes(10, 12 * MIB);
        byte[] b = TestData.bytes(11, 7 * MIB);
        byte[] local = TestData.bytes(12, 4 * MIB);
        store.write("src/a.bin", List.of(new Segment.Bytes(a)), CopyListener.NONE);
        try (S3ObjectStore otherBucket = S3ObjectStore.open(S3.settings(), new StoreLocation.S3(S3.newBucket(), ""));
             LocalObjectStore localStore = new LocalObjectStore(folder.resolve("local"))) {
            otherBucket.write("b.bin", List.of(new Segment.Bytes(b)), CopyListener.NONE);
            localStore.write("c.bin", List.of(new Segment.Bytes(local)), CopyListener.NONE);
            byte[] header = TestData.bytes(13, 100_000);
            byte[] footer = TestData.bytes(14, 50_000);

            RecordingListener listener = new RecordingListener();
            store.write("out/model.safetensors", List.of(
                    new Segment.Bytes(header),
                    new Segment.Range(store, "src/a.bin", 5, MIB),
                    new Segment.Range(store, "src/a.bin", MIB, 10 * MIB),
                    new Segment.Range(otherBucket, "b.bin", 3, 6 * MIB),
                    new Segment.Range(localStore, "c.bin", 7, 200_000),
                    new Segment.Range(localStore, "c.bin", MIB, 3 * MIB),
                    new Segment.Bytes(footer)), listener);

            byte[] expected = concat(header, slice(a, 5, MIB), slice(a, MIB, 10 * MIB), slice(b, 3, 6 * MIB),
                    slice(local, 7, 200_000), slice(local, MIB, 3 * MIB), footer);
            assertThat(expected.length).isGreaterThan(20 * MIB);
            assertThat(store.size("out/model.safetensors")).isEqualTo(expected.length);
            assertThat(readFully(store, "out/model.safetensors")).isEqualTo(expected);
            // The 10 MiB range gives its first bytes to top up the 1.1 MiB streamed before it; the rest is copied.
            long toppedUp = 5 * MIB - 100_000 - MIB;
            assertThat(listener.copiedInPlace).isEqualTo(10 * MIB - toppedUp + 6 * MIB);
            assertThat(listener.streamed + listener.copiedInPlace).isEqualTo(expected.length);
            assertThat(listener.streamed).isLessThan(9 * MIB);
        }
    }

    @Test
    void writesSmallObjectsInOnePutAndReadsRanges() throws IOException {
        byte[] content = TestData.bytes(20, 300_000);
        RecordingListener listener = new RecordingListener();
        store.write("config/a.bin", List.of(new Segment.Bytes(Arrays.copyOf(content, 1000)),
                new Segment.Bytes(Arrays.copyOfRange(content, 1000, content.length))), listener);

        assertThat(listener.streamed).isEqualTo(content.length);
        try (InputStream in = store.read("config/a.bin", 250_000, 50_000)) {
            assertThat(in.readAllBytes()).isEqualTo(slice(content, 250_000, 50_000));
        }
        assertThat(store.readAll("config/a.bin", content.length)).isEqualTo(content);
        assertThatThrownBy(() -> store.readAll("config/a.bin", content.length - 1)).hasMessageContaining("more than");
        assertThatThrownBy(() -> store.read("config/a.bin", 299_000, 2000)).isInstanceOf(EOFException.class);
    }

    @Test
    void listsObjectsUnderTheRootRelativeAndSorted() throws IOException {
        try (ObjectStore listed = store.child("listing")) {
            listed.write("z.json", List.of(new Segment.Bytes(new byte[3])), CopyListener.NONE);
            listed.write("a/b.bin", List.of(new Segment.Bytes(new byte[5])), CopyListener.NONE);
            store.write("listing-sibling.json", List.of(new Segment.Bytes(new byte[1])), CopyListener.NONE);

            assertThat(listed.list()).containsExactly(new ObjectInfo("a/b.bin", 5), new ObjectInfo("z.json", 3));
            assertThat(listed.location()).isEqualTo(new StoreLocation.S3(S3.bucket(), "models/run-1/listing"));
            listed.delete("z.json");
            assertThat(listed.exists("z.json")).isFalse();
            assertThat(listed.list()).containsExactly(new ObjectInfo("a/b.bin", 5));
        }
        // Closing the child leaves the parent's shared client open.
        assertThat(store.exists("listing/a/b.bin")).isTrue();
    }

    @Test
    void reportsMissingObjectsAsNoSuchObject() throws IOException {
        assertThat(store.exists("absent.bin")).isFalse();
        assertThatThrownBy(() -> store.size("absent.bin")).isInstanceOf(NoSuchObjectException.class)
                .hasMessageContaining("absent.bin");
        assertThatThrownBy(() -> store.read("absent.bin", 0, 10)).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void failedMultipartWriteLeavesNoObject() throws IOException {
        byte[] big = TestData.bytes(30, 17 * MIB);
        assertThatThrownBy(() -> store.write("out/broken.bin", List.of(
                new Segment.Bytes(big),
                new Segment.Range(store, "absent.bin", 0, 6 * MIB)), CopyListener.NONE))
                .isInstanceOf(NoSuchObjectException.class)
                .hasMessageContaining("absent.bin");
        assertThat(keys()).doesNotContain("out/broken.bin");
    }

    @Test
    void wrongSecretGivesACredentialErrorWithoutTheSecret() throws IOException {
        String wrongSecret = "wrong-secret-" + System.nanoTime();
        S3Settings wrong = new S3Settings(S3.settings().endpoint(), S3.settings().region(), S3.settings().accessKey(), wrongSecret);
        try (S3ObjectStore refused = S3ObjectStore.open(wrong, new StoreLocation.S3(S3.bucket(), ""))) {
            assertThatThrownBy(refused::list)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("refused the credentials")
                    .hasMessageContaining(S3.bucket())
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain(wrongSecret).doesNotContain(S3.settings().secretKey()));
        }
    }

    @Test
    void missingBucketIsNamed() throws IOException {
        try (S3ObjectStore missing = S3ObjectStore.open(S3.settings(), new StoreLocation.S3("no-such-bucket-here", ""))) {
            assertThatThrownBy(missing::list).hasMessageContaining("bucket no-such-bucket-here does not exist");
        }
    }

    @Test
    void unreachableEndpointIsNamed() throws IOException {
        S3Settings nowhere = new S3Settings(URI.create("http://127.0.0.1:1"), "us-east-1", "a", "b",
                new RetrySettings(3, Duration.ofMillis(1), Duration.ofMillis(5)));
        try (S3ObjectStore unreachable = S3ObjectStore.open(nowhere, new StoreLocation.S3("bucket", ""))) {
            // A refused connection may be a restarting server: it is retried, and the message says so.
            assertThatThrownBy(() -> unreachable.size("x"))
                    .hasMessageContaining("cannot reach S3 endpoint http://127.0.0.1:1")
                    .hasMessageContaining("connection refused")
                    .hasMessageContaining("gave up after 3 attempts");
            // Keys are validated before any request: this fails on the key, not on the connection.
            assertThatThrownBy(() -> unreachable.size("../x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> unreachable.child("a/../../b")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> unreachable.write("/etc/x", List.of(), CopyListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** S3Proxy 4.1.0's filesystem backend honours If-None-Match: * (an atomic hard link), as S3 and MinIO do. */
    @Test
    void writesAnObjectIfAbsentOnlyOnceAndLeavesTheFirstContent() throws IOException {
        assertThat(store.writeIfAbsent("claims/marker", new byte[] {1})).isTrue();
        assertThat(store.writeIfAbsent("claims/marker", new byte[] {2, 2})).isFalse();

        assertThat(store.readAll("claims/marker", 10)).containsExactly(1);
    }

    @Test
    void opensBothKindsOfLocation() throws IOException {
        try (ObjectStore s3 = ObjectStores.open(StoreLocation.parse("s3://" + S3.bucket() + "/models/run-1"), S3::settings);
             ObjectStore local = ObjectStores.open(StoreLocation.parse(folder.toString()), () -> {
                 throw new AssertionError("a local store needs no S3 settings");
             })) {
            assertThat(s3).isInstanceOf(S3ObjectStore.class);
            assertThat(local).isInstanceOf(LocalObjectStore.class);
        }
    }

    private static List<String> keys() throws IOException {
        return store.list().stream().map(ObjectInfo::key).toList();
    }

    private static byte[] readFully(ObjectStore source, String key) throws IOException {
        try (InputStream in = source.read(key, 0, source.size(key))) {
            return in.readAllBytes();
        }
    }

    private static String fullText(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                text.append(suppressed).append('\n');
            }
        }
        return text.toString();
    }

    private static byte[] slice(byte[] content, int offset, int length) {
        return Arrays.copyOfRange(content, offset, offset + length);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
