package io.reapomni.calibration.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.common.safetensors.SafetensorsHeader;
import io.reapomni.common.safetensors.SafetensorsHeaderReader;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weights read from safetensors files in an {@link ObjectStore}, one ranged read per tensor: a shard is never read
 * whole. Shard headers are read on first use and kept (they are small); the tensor-to-shard map comes from
 * {@code model.safetensors.index.json}, or is the single {@code model.safetensors}.
 */
public final class CheckpointWeightSource implements WeightSource {
    public static final String INDEX_KEY = "model.safetensors.index.json";
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
        if (store.exists(INDEX_KEY)) {
            return new CheckpointWeightSource(store, readIndex(store));
        }
        if (store.exists(SINGLE_FILE_KEY)) {
            return ofFile(store, SINGLE_FILE_KEY);
        }
        throw new IOException(store.location() + " holds neither " + INDEX_KEY + " nor " + SINGLE_FILE_KEY);
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
        long[] shape = info.shape().stream().mapToLong(Long::longValue).toArray();
        int count = Math.toIntExact(info.elementCount());
        try {
            return new FloatTensor(shape, TensorDecoder.toFloats(info.dtype(), stored.bytes(), count));
        } catch (IllegalArgumentException e) {
            throw new IOException("tensor \"" + name + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean has(String name) {
        return shardOfTensor.containsKey(name);
    }

    /** The stored bytes of one tensor, whatever its dtype. */
    public StoredTensor readRaw(String name) throws IOException {
        String shard = Optional.ofNullable(shardOfTensor.get(name)).orElseThrow(() -> new WeightNotFoundException(name));
        ShardHeader shardHeader = header(shard);
        SafetensorsHeader header = shardHeader.header();
        TensorInfo info = Optional.ofNullable(shardHeader.byName().get(name))
                .orElseThrow(() -> new IOException("the index puts \"" + name + "\" in " + shard
                        + ", whose header does not list it"));
        int length = Math.toIntExact(info.byteLength());
        try (InputStream in = store.read(shard, header.dataStart() + info.begin(), length)) {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new IOException(shard + " ended after " + bytes.length + " of " + length + " bytes of \""
                        + name + "\"");
            }
            return new StoredTensor(info, ByteBuffer.wrap(bytes));
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

    private static Map<String, String> readIndex(ObjectStore store) throws IOException {
        JsonNode weightMap = new ObjectMapper().readTree(store.readAll(INDEX_KEY, MAX_INDEX_BYTES)).path("weight_map");
        if (!weightMap.isObject()) {
            throw new IOException(INDEX_KEY + " in " + store.location() + " has no weight_map object");
        }
        Map<String, String> shards = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            shards.put(entry.getKey(), entry.getValue().asText());
        }
        return shards;
    }
}
