package io.reapomni.calibration.weights;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.Shard;
import io.reapomni.common.safetensors.DType;
import io.reapomni.common.safetensors.SafetensorsHeader;
import io.reapomni.common.safetensors.SafetensorsHeaderReader;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Weights read from safetensors files in an {@link ObjectStore}, one ranged read per tensor (or per run of the rows
 * asked for): a shard is never read whole. Where each tensor lies comes from the {@link Checkpoint} (its index and
 * shard headers, checked against each other), or from the header of one safetensors file.
 */
public final class CheckpointWeightSource implements WeightSource {
    private final ObjectStore store;
    private final Map<String, TensorBytes> tensors;

    private CheckpointWeightSource(ObjectStore store, Map<String, TensorBytes> tensors) {
        this.store = store;
        this.tensors = Map.copyOf(tensors);
    }

    /**
     * A checkpoint folder, sharded with an index or a single {@code model.safetensors}, opened and checked as
     * {@link Checkpoint#open} does.
     */
    public static CheckpointWeightSource open(ObjectStore store) throws IOException {
        return of(store, Checkpoint.open(store));
    }

    /** The weights of {@code checkpoint}, opened already from {@code store}: nothing is read again. */
    public static CheckpointWeightSource of(ObjectStore store, Checkpoint checkpoint) {
        Map<String, TensorBytes> tensors = new HashMap<>();
        for (Shard shard : checkpoint.shards()) {
            addAll(tensors, shard.key(), shard.header());
        }
        return new CheckpointWeightSource(store, tensors);
    }

    /** Every tensor of one safetensors file. */
    public static CheckpointWeightSource ofFile(ObjectStore store, String key) throws IOException {
        Map<String, TensorBytes> tensors = new HashMap<>();
        addAll(tensors, key, SafetensorsHeaderReader.read(store, key));
        return new CheckpointWeightSource(store, tensors);
    }

    private static void addAll(Map<String, TensorBytes> tensors, String key, SafetensorsHeader header) {
        for (TensorInfo info : header.tensors()) {
            tensors.put(info.name(), new TensorBytes(key, header.dataStart() + info.begin(), info));
        }
    }

    @Override
    public FloatTensor load(String name) throws IOException {
        StoredTensor stored = readRaw(name);
        TensorInfo info = stored.info();
        return new FloatTensor(shapeOf(info), decode(name, info.dtype(), stored.bytes(),
                Math.toIntExact(info.elementCount())));
    }

    /** Every tensor the checkpoint holds. */
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public long[] shape(String name) throws IOException {
        return shapeOf(locate(name).info());
    }

    /**
     * One ranged read per run of consecutive rows, streamed a row at a time, so that neither the matrix nor a long
     * run is ever on the heap as bytes.
     */
    @Override
    public FloatTensor loadRows(String name, int[] rows) throws IOException {
        TensorBytes tensor = locate(name);
        TensorInfo info = tensor.info();
        if (info.shape().size() != 2) {
            throw new IOException("tensor \"" + name + "\" has shape " + info.shape() + ", not [rows, columns]");
        }
        requireAscendingWithin(rows, info.shape().get(0), name);
        int columns = Math.toIntExact(info.shape().get(1));
        int rowBytes = Math.multiplyExact(columns, info.dtype().byteSize());
        float[] values = new float[Math.multiplyExact(rows.length, columns)];
        byte[] row = new byte[rowBytes];
        int runStart = 0;
        while (runStart < rows.length) {
            int runEnd = runStart + 1;
            while (runEnd < rows.length && rows[runEnd] == rows[runEnd - 1] + 1) {
                runEnd++;
            }
            long offset = tensor.offset() + (long) rows[runStart] * rowBytes;
            try (InputStream in = store.read(tensor.shard(), offset, (long) (runEnd - runStart) * rowBytes)) {
                for (int i = runStart; i < runEnd; i++) {
                    if (in.readNBytes(row, 0, rowBytes) != rowBytes) {
                        throw new IOException(tensor.shard() + " ended inside row " + rows[i] + " of \"" + name
                                + "\"");
                    }
                    float[] decoded = decode(name, info.dtype(), ByteBuffer.wrap(row), columns);
                    System.arraycopy(decoded, 0, values, i * columns, columns);
                }
            }
            runStart = runEnd;
        }
        return new FloatTensor(new long[] {rows.length, columns}, values);
    }

    /** The stored bytes of one tensor, whatever its dtype. */
    public StoredTensor readRaw(String name) throws IOException {
        TensorBytes tensor = locate(name);
        TensorInfo info = tensor.info();
        int length = Math.toIntExact(info.byteLength());
        try (InputStream in = store.read(tensor.shard(), tensor.offset(), length)) {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new IOException(tensor.shard() + " ended after " + bytes.length + " of " + length
                        + " bytes of \"" + name + "\"");
            }
            return new StoredTensor(info, ByteBuffer.wrap(bytes));
        }
    }

    /** The store the checkpoint is read from; it stays the caller's. */
    public ObjectStore store() {
        return store;
    }

    /**
     * Where {@code name}'s bytes are.
     *
     * @throws WeightNotFoundException when the checkpoint has no such tensor
     */
    public TensorBytes locate(String name) throws WeightNotFoundException {
        return Optional.ofNullable(tensors.get(name)).orElseThrow(() -> new WeightNotFoundException(name));
    }

    private static void requireAscendingWithin(int[] rows, long rowCount, String name) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= rowCount) {
                throw new IllegalArgumentException("row " + rows[i] + " is outside the " + rowCount + " rows of \""
                        + name + "\"");
            }
            if (i > 0 && rows[i] <= rows[i - 1]) {
                throw new IllegalArgumentException("rows of \"" + name + "\" must be strictly ascending, got "
                        + rows[i - 1] + " before " + rows[i]);
            }
        }
    }

    private static long[] shapeOf(TensorInfo info) {
        return info.shape().stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] decode(String name, DType dtype, ByteBuffer bytes, int count) throws IOException {
        try {
            return TensorDecoder.toFloats(dtype, bytes, count);
        } catch (IllegalArgumentException e) {
            throw new IOException("tensor \"" + name + "\": " + e.getMessage(), e);
        }
    }
}
