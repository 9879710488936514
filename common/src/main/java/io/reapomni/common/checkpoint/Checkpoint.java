package io.reapomni.common.checkpoint;

import io.reapomni.common.safetensors.SafetensorsHeader;
import io.reapomni.common.safetensors.SafetensorsHeaderReader;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ReadLimits;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Qwen3-Omni safetensors checkpoint, checked for consistency: config, shards, where each tensor lives, the index
 * and the other files that a rewrite copies. Tensors are in source order: shards by key, then by offset in the shard.
 */
public final class Checkpoint {
    public static final String CONFIG_KEY = "config.json";
    public static final String SINGLE_FILE_KEY = "model.safetensors";
    private static final String SHARD_SUFFIX = ".safetensors";
    /**
     * The most tensors a checkpoint may have: the full model has 28,010; this bounds the memory its headers take
     * (about 300 bytes a tensor) however they are spread over shards.
     */
    public static final int MAX_TENSORS = 200_000;

    private final StoreLocation location;
    private final ModelConfig config;
    private final Optional<CheckpointIndex> index;
    private final List<Shard> shards;
    private final Map<String, TensorLocation> tensors;
    private final List<String> otherFiles;
    private final CheckpointInventory inventory;

    private Checkpoint(StoreLocation location, ModelConfig config, Optional<CheckpointIndex> index, List<Shard> shards,
                       Map<String, TensorLocation> tensors, List<String> otherFiles, CheckpointInventory inventory) {
        this.location = location;
        this.config = config;
        this.index = index;
        this.shards = List.copyOf(shards);
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.otherFiles = List.copyOf(otherFiles);
        this.inventory = inventory;
    }

    /**
     * Reads a checkpoint's config, index and shard headers from {@code store} (no tensor data) and checks them.
     * Every safetensors file in the listing is read, so that a stray one is reported rather than silently left out.
     */
    public static Checkpoint open(ObjectStore store) throws IOException {
        List<ObjectInfo> listing = store.list();
        Map<String, Long> sizes = new TreeMap<>();
        listing.forEach(object -> sizes.put(object.key(), object.size()));
        if (!sizes.containsKey(CONFIG_KEY)) {
            throw new CheckpointException("no " + CONFIG_KEY + " in " + store.location());
        }
        byte[] config = store.readAll(CONFIG_KEY, ReadLimits.MODEL_JSON_BYTES);
        Optional<byte[]> index = sizes.containsKey(CheckpointIndex.KEY)
                ? Optional.of(CheckpointIndex.readBytes(store)) : Optional.empty();
        Map<String, SafetensorsHeader> headers = new TreeMap<>();
        long tensors = 0;
        for (var object : sizes.entrySet()) {
            String key = object.getKey();
            if (key.endsWith(SHARD_SUFFIX) && !hidden(key)) {
                // The listing has the size already: asking the store again would cost a request per shard on S3.
                SafetensorsHeader header = SafetensorsHeaderReader.read(store.location() + "/" + key,
                        object.getValue(), (offset, length) -> store.read(key, offset, length));
                tensors += header.tensors().size();
                if (tensors > MAX_TENSORS) {
                    throw new CheckpointException("the safetensors files in " + store.location() + " hold more than "
                            + MAX_TENSORS + " tensors (the full Qwen3-Omni has 28,010): not a checkpoint reap-omni"
                            + " reads");
                }
                headers.put(key, header);
            }
        }
        return of(store.location(), new CheckpointFiles(listing, config, index, headers));
    }

    /**
     * Checks the parts read from {@code location} against each other and builds the checkpoint, or reports every
     * inconsistency found.
     */
    public static Checkpoint of(StoreLocation location, CheckpointFiles files) throws CheckpointException {
        ModelConfig config = ModelConfig.parse(files.config());
        Optional<CheckpointIndex> index = files.index().isPresent()
                ? Optional.of(CheckpointIndex.parse(files.index().get())) : Optional.empty();
        Map<String, Long> sizes = new TreeMap<>();
        files.listing().forEach(object -> sizes.put(object.key(), object.size()));
        Set<String> shardKeys = shardKeys(index, sizes);

        List<String> problems = new ArrayList<>();
        List<Shard> shards = new ArrayList<>();
        Map<String, TensorLocation> tensors = new LinkedHashMap<>();
        for (String key : shardKeys) {
            if (!sizes.containsKey(key)) {
                problems.add("the index names shard " + key + ", which does not exist");
                continue;
            }
            SafetensorsHeader header = files.headers().get(key);
            if (header == null) {
                throw new IllegalArgumentException("no header was read for shard " + key);
            }
            Shard shard = new Shard(key, sizes.get(key), header);
            if (header.fileLength() != shard.size()) {
                problems.add("shard " + key + " is " + shard.size() + " bytes but its header describes "
                        + header.fileLength() + " (truncated or overwritten?)");
            }
            shards.add(shard);
            for (TensorInfo tensor : header.tensors()) {
                TensorLocation earlier = tensors.putIfAbsent(tensor.name(), new TensorLocation(key, tensor));
                if (earlier != null) {
                    problems.add("tensor " + tensor.name() + " is in two shards: " + earlier.shardKey() + " and " + key);
                }
            }
        }
        index.ifPresent(found -> checkIndex(found, shards, tensors, problems));
        for (String key : sizes.keySet()) {
            if (key.endsWith(SHARD_SUFFIX) && !shardKeys.contains(key) && !hidden(key)) {
                problems.add("safetensors file " + key + " is not part of the checkpoint"
                        + (index.isPresent() ? " (the index names no tensor in it)" : " (there is no index)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(Problems.describe("inconsistent checkpoint", problems));
        }
        List<TensorInfo> infos = tensors.values().stream().map(TensorLocation::info).toList();
        CheckpointInventory inventory = CheckpointInventory.of(config, infos);
        List<String> otherFiles = sizes.keySet().stream()
                .filter(key -> !shardKeys.contains(key) && !key.equals(CONFIG_KEY) && !key.equals(CheckpointIndex.KEY))
                .filter(key -> !hidden(key))
                .toList();
        return new Checkpoint(location, config, index, shards, tensors, otherFiles, inventory);
    }

    private static Set<String> shardKeys(Optional<CheckpointIndex> index, Map<String, Long> sizes) throws CheckpointException {
        if (index.isPresent()) {
            return new TreeSet<>(index.get().weightMap().values());
        }
        if (!sizes.containsKey(SINGLE_FILE_KEY)) {
            throw new CheckpointException("neither " + CheckpointIndex.KEY + " nor " + SINGLE_FILE_KEY
                    + " found: not a safetensors checkpoint");
        }
        return Set.of(SINGLE_FILE_KEY);
    }

    private static void checkIndex(CheckpointIndex index, List<Shard> shards, Map<String, TensorLocation> tensors,
                                   List<String> problems) {
        Set<String> presentShards = new TreeSet<>();
        shards.forEach(shard -> presentShards.add(shard.key()));
        index.weightMap().forEach((name, shardKey) -> {
            TensorLocation location = tensors.get(name);
            if (location == null && presentShards.contains(shardKey)) {
                problems.add("tensor " + name + " is in the index but missing from the header of " + shardKey);
            } else if (location != null && !location.shardKey().equals(shardKey)) {
                problems.add("tensor " + name + " is in " + location.shardKey() + " but the index puts it in " + shardKey);
            }
        });
        tensors.forEach((name, location) -> {
            if (!index.weightMap().containsKey(name)) {
                problems.add("tensor " + name + " is in shard " + location.shardKey() + " but not in the index");
            }
        });
        long bytes = tensors.values().stream().mapToLong(location -> location.info().byteLength()).sum();
        if (bytes != index.totalSize()) {
            problems.add("the index's metadata.total_size is " + index.totalSize()
                    + " but the tensors hold " + bytes + " bytes");
        }
    }

    /** Hidden files and staging folders (a leading dot in any path segment) are never part of a checkpoint. */
    private static boolean hidden(String key) {
        for (String segment : key.split("/")) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Where the checkpoint was read from. */
    public StoreLocation location() {
        return location;
    }

    public ModelConfig config() {
        return config;
    }

    /** The index, absent for a single-file checkpoint. */
    public Optional<CheckpointIndex> index() {
        return index;
    }

    public List<Shard> shards() {
        return shards;
    }

    /** Every tensor in source order. */
    public List<TensorLocation> tensors() {
        return List.copyOf(tensors.values());
    }

    /** Every tensor's header entry in source order. */
    public List<TensorInfo> tensorInfos() {
        return tensors.values().stream().map(TensorLocation::info).toList();
    }

    public TensorLocation tensor(String name) throws CheckpointException {
        TensorLocation location = tensors.get(name);
        if (location == null) {
            throw new CheckpointException("the checkpoint has no tensor " + name);
        }
        return location;
    }

    /** Keys of the files a rewrite copies unchanged (tokenizer, chat template, generation config...), sorted. */
    public List<String> otherFiles() {
        return otherFiles;
    }

    public CheckpointInventory inventory() {
        return inventory;
    }

    /** Number of tensors per shard key, in shard order. */
    public Map<String, Integer> tensorsPerShard() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        shards.forEach(shard -> counts.put(shard.key(), shard.header().tensors().size()));
        return Collections.unmodifiableMap(counts);
    }
}
