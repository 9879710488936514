package io.reapomni.common.safetensors;

import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.NoSuchObjectException;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reader's convenience entry points: local files and object stores, each read by ranges. */
class SafetensorsHeaderSourcesTest {
    private static final String JSON = "{\"w\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[0,4]}}";

    @TempDir
    Path folder;

    @Test
    void readsALocalFile() throws IOException {
        Path file = Files.write(folder.resolve("a.safetensors"), RawFiles.file(JSON, 4));

        SafetensorsHeader header = SafetensorsHeaderReader.read(file);

        assertThat(header.tensors()).containsExactly(new TensorInfo("w", DType.I16, List.of(2L), 0, 4));
    }

    @Test
    void namesTheLocalFileInErrors() throws IOException {
        Path file = Files.write(folder.resolve("bad.safetensors"), RawFiles.file(JSON, 5));

        assertThatThrownBy(() -> SafetensorsHeaderReader.read(file))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(file + ": file has 1 trailing bytes");
    }

    @Test
    void readsAnObjectByTwoRangedReads() throws IOException {
        OneObjectStore store = new OneObjectStore("model/a.safetensors", RawFiles.file(JSON, 4));

        SafetensorsHeader header = SafetensorsHeaderReader.read(store, "model/a.safetensors");

        assertThat(header.tensors()).extracting(TensorInfo::name).containsExactly("w");
        assertThat(store.reads).containsExactly("0+8", "8+" + JSON.length());
    }

    @Test
    void namesTheObjectInErrors() {
        OneObjectStore store = new OneObjectStore("a.safetensors", RawFiles.file(JSON, 3));

        assertThatThrownBy(() -> SafetensorsHeaderReader.read(store, "a.safetensors"))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith("s3://bucket/prefix/a.safetensors: file is truncated");
    }

    @Test
    void passesOnAMissingObject() {
        OneObjectStore store = new OneObjectStore("a.safetensors", RawFiles.file(JSON, 4));

        assertThatThrownBy(() -> SafetensorsHeaderReader.read(store, "b.safetensors"))
                .isInstanceOf(NoSuchObjectException.class);
    }

    /** Holds one object in memory and records the ranges read; the reader needs nothing else from a store. */
    private static final class OneObjectStore implements ObjectStore {
        private static final StoreLocation LOCATION = new StoreLocation.S3("bucket", "prefix");
        private final String key;
        private final byte[] content;
        final List<String> reads = new ArrayList<>();

        OneObjectStore(String key, byte[] content) {
            this.key = key;
            this.content = content;
        }

        @Override
        public StoreLocation location() {
            return LOCATION;
        }

        @Override
        public long size(String requested) throws IOException {
            return bytesOf(requested).length;
        }

        @Override
        public boolean exists(String requested) {
            return key.equals(requested);
        }

        @Override
        public InputStream read(String requested, long offset, long length) throws IOException {
            byte[] bytes = bytesOf(requested);
            reads.add(offset + "+" + length);
            return new ByteArrayInputStream(bytes, (int) offset, (int) length);
        }

        private byte[] bytesOf(String requested) throws NoSuchObjectException {
            if (!key.equals(requested)) {
                throw new NoSuchObjectException(LOCATION, requested);
            }
            return content;
        }

        @Override
        public List<ObjectInfo> list() {
            throw new UnsupportedOperationException("not used by the header reader");
        }

        @Override
        public byte[] readAll(String requested, long maxBytes) {
            throw new UnsupportedOperationException("not used by the header reader");
        }

        @Override
        public void write(String requested, List<Segment> segments, CopyListener listener) {
            throw new UnsupportedOperationException("not used by the header reader");
        }

        @Override
        public boolean writeIfAbsent(String requested, byte[] bytes) {
            throw new UnsupportedOperationException("not used by the header reader");
        }

        @Override
        public void delete(String requested) {
            throw new UnsupportedOperationException("not used by the header reader");
        }

        @Override
        public ObjectStore child(String prefix) {
            throw new UnsupportedOperationException("not used by the header reader");
        }

        @Override
        public void close() {
        }
    }
}
