package io.reapomni.calibration.weights;

import io.reapomni.common.checkpoint.CheckpointIndex;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weights read from safetensors files in an {@link ObjectStore}, one ranged read per tensor (or per run of the rows
 * asked for): a shard is never read whole. Shard headers are read on first use and kept (they are small); the
 * tensor-to-shard map comes from {@code model.safetensors.index.json}, or is the single {@code model.safetensors}.
 */
public final class CheckpointWeightSource implements WeightSource {
    public static final String SINGLE_FILE_KEY = "model.safetensors";
    private static final long MAX_INDEX_BYTES = 64L << 20;

    private final ObjectStore store;
    private final Map<String, String> shardOfTensor;
    private final Map<String, ShardHeader> headers = new ConcurrentHashMap<>();

    /** A shard's header with its entries by name, so that finding a tensor is not a scan. */
    private record ShardHeader(SafetensorsHeader header, Map<String, TensorInfo> byName) {
        static ShardHeader of(SafetensorsHeader header) {
            Map<String, TensorInfo> byName = new HashMap<>();
            header.tensors().forEach(info -> byName.put(info.name(), info));
            return new ShardHeader(header, Map.copyOf(byName));
        }
    }

    private CheckpointWeightSource(ObjectStore store, Map<String, String> shardOfTensor) {
        this.store = store;
        this.shardOfTensor = Map.copyOf(shardOfTensor);
    }

    /** A checkpoint folder: sharded with an index, or a single {@code model.safetensors}. */
    public static CheckpointWeightSource open(ObjectStore store) throws IOException {
        if (store.exists(CheckpointIndex.KEY)) {
            return new CheckpointWeightSource(store,
                    CheckpointIndex.parse(store.readAll(CheckpointIndex.KEY, MAX_INDEX_BYTES)).weightMap());
        }
        if (store.exists(SINGLE_FILE_KEY)) {
            return ofFile(store, SINGLE_FILE_KEY);
        }
        throw new IOException(store.location() + " holds neither " + CheckpointIndex.KEY + " nor "
                + SINGLE_FILE_KEY);
    }

    /** Every tensor of one safetensors file. */
    public static CheckpointWeightSource ofFile(ObjectStore store, String key) throws IOException {
        SafetensorsHeader header = SafetensorsHeaderReader.read(store, key);
        Map<String, String> shards = new HashMap<>();
        for (TensorInfo info : header.tensors()) {
            shards.put(info.name(), key);
        }
        CheckpointWeightSource source = new CheckpointWeightSource(store, shards);
        source.headers.put(key, ShardHeader.of(header));
        return source;
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
        return shardOfTensor.keySet();
    }

    @Override
    public boolean has(String name) {
        return shardOfTensor.containsKey(name);
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
     * Where {@code name}'s bytes are; the shard's header is read on first use.
     *
     * @throws WeightNotFoundException when the checkpoint has no such tensor
     */
    public TensorBytes locate(String name) throws IOException {
        String shard = Optional.ofNullable(shardOfTensor.get(name)).orElseThrow(() -> new WeightNotFoundException(name));
        ShardHeader shardHeader = header(shard);
        TensorInfo info = Optional.ofNullable(shardHeader.byName().get(name))
                .orElseThrow(() -> new IOException("the index puts \"" + name + "\" in " + shard
                        + ", whose header does not list it"));
        return new TensorBytes(shard, shardHeader.header().dataStart() + info.begin(), info);
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

    private ShardHeader header(String shard) throws IOException {
        ShardHeader cached = headers.get(shard);
        if (cached != null) {
            return cached;
        }
        ShardHeader read = ShardHeader.of(SafetensorsHeaderReader.read(store, shard));
        headers.put(shard, read);
        return read;
    }
}
