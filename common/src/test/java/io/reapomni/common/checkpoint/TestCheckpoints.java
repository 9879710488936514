package io.reapomni.common.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.safetensors.DType;
import io.reapomni.common.safetensors.SafetensorsHeader;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tiny fixture checkpoint, and hand-built checkpoints small enough to spell out in a test. */
public final class TestCheckpoints {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Any length will do: hand-built headers are never serialised. */
    private static final long HEADER_LENGTH = 64;

    private TestCheckpoints() {
    }

    /** Where checkpoints built from parts in memory say they were read from. */
    public static final StoreLocation SYNTHETIC = new StoreLocation.Local(Path.of("synthetic-checkpoint"));

    public static Checkpoint fixture() throws IOException {
        try (LocalObjectStore store = new LocalObjectStore(TinyQwen3Omni.model())) {
            return Checkpoint.open(store);
        }
    }

    public static byte[] fixtureConfig() throws IOException {
        return Files.readAllBytes(TinyQwen3Omni.model().resolve("config.json"));
    }

    /** Tensor names as the fixture's index lists them (test data read directly, not through the code under test). */
    public static List<String> fixtureNames() throws IOException {
        List<String> names = new ArrayList<>();
        MAPPER.readTree(TinyQwen3Omni.model().resolve("model.safetensors.index.json").toFile())
                .get("weight_map").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A config with a thinker of {@code layers} × {@code experts} and a talker of 2 layers × 4 experts. */
    public static ObjectNode config(int layers, int experts, int topK, int acceptHiddenLayer) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model_type", "qwen3_omni_moe");
        ObjectNode thinker = root.putObject("thinker_config").putObject("text_config");
        thinker.put("hidden_size", 4).put("num_attention_heads", 2).put("num_hidden_layers", layers)
                .put("num_experts", experts).put("num_experts_per_tok", topK).put("decoder_sparse_step", 1);
        thinker.putArray("mlp_only_layers");
        ObjectNode talker = root.putObject("talker_config");
        talker.put("accept_hidden_layer", acceptHiddenLayer);
        talker.putObject("text_config").put("hidden_size", 4).put("num_attention_heads", 2)
                .put("num_hidden_layers", 2).put("num_local_experts", 4).put("num_experts_per_tok", 2);
        return root;
    }

    /** Names of one decoder stack: attention, router and experts of every layer, shared experts for the talker. */
    public static List<String> stackNames(MoeStack stack, int layers, int experts) {
        List<String> names = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            names.add(Qwen3OmniLayout.decoder(stack, layer, Qwen3OmniLayout.DecoderModule.Q_PROJ).weight());
            names.add(Qwen3OmniLayout.router(stack, layer));
            for (int expert = 0; expert < experts; expert++) {
                for (Qwen3OmniLayout.Projection projection : Qwen3OmniLayout.Projection.values()) {
                    names.add(Qwen3OmniLayout.expert(stack, layer, expert, projection));
                }
            }
            if (stack == MoeStack.TALKER) {
                names.add(Qwen3OmniLayout.sharedExpert(layer, Qwen3OmniLayout.Projection.UP));
                names.add(Qwen3OmniLayout.sharedExpertGate(layer));
            }
        }
        return names;
    }

    /** Header entries for {@code names}, packed in order: routers [rows, 4], everything else [2, 2], bf16. */
    public static List<TensorInfo> tensors(List<String> names, int routerRows) {
        List<TensorInfo> tensors = new ArrayList<>();
        long offset = 0;
        for (String name : names) {
            List<Long> shape = name.endsWith("mlp.gate.weight") ? List.of((long) routerRows, 4L) : List.of(2L, 2L);
            long bytes = shape.get(0) * shape.get(1) * 2;
            tensors.add(new TensorInfo(name, DType.BF16, shape, offset, offset + bytes));
            offset += bytes;
        }
        return tensors;
    }

    public static SafetensorsHeader header(List<TensorInfo> tensors) {
        return new SafetensorsHeader(HEADER_LENGTH, Map.of(), tensors);
    }

    /**
     * Parts of a checkpoint whose shards hold the given tensors and whose index agrees with them, plus the given
     * extra files; tests then break one part.
     */
    public static Parts parts(ObjectNode config, Map<String, List<TensorInfo>> shards) {
        Map<String, SafetensorsHeader> headers = new LinkedHashMap<>();
        List<ObjectInfo> listing = new ArrayList<>();
        ObjectNode index = MAPPER.createObjectNode();
        ObjectNode weightMap = index.putObject("weight_map");
        long total = 0;
        for (var shard : shards.entrySet()) {
            SafetensorsHeader header = header(shard.getValue());
            headers.put(shard.getKey(), header);
            listing.add(new ObjectInfo(shard.getKey(), header.fileLength()));
            for (TensorInfo tensor : shard.getValue()) {
                weightMap.put(tensor.name(), shard.getKey());
                total += tensor.byteLength();
            }
        }
        index.putObject("metadata").put("total_size", total);
        listing.add(new ObjectInfo("config.json", 100));
        listing.add(new ObjectInfo(CheckpointIndex.KEY, 100));
        return new Parts(config, index, headers, listing);
    }

    /** Mutable parts for tests to break before building {@link CheckpointFiles}. */
    public record Parts(ObjectNode config, ObjectNode index, Map<String, SafetensorsHeader> headers, List<ObjectInfo> listing) {
        public CheckpointFiles files() {
            return new CheckpointFiles(listing, bytes(config), Optional.of(bytes(index)), headers);
        }

        public Checkpoint checkpoint() throws CheckpointException {
            return Checkpoint.of(TestCheckpoints.SYNTHETIC, files());
        }
    }

    /** A consistent checkpoint: thinker {@code layers} × {@code experts}, optional talker, in one shard. */
    public static Checkpoint synthetic(ObjectNode config, int layers, int experts, boolean withTalker) throws CheckpointException {
        List<TensorInfo> tensors = new ArrayList<>(tensors(List.of("thinker.model.embed_tokens.weight",
                "thinker.visual.patch_embed.proj.weight", "thinker.audio_tower.conv2d1.weight"), experts));
        tensors.addAll(tensors(stackNames(MoeStack.THINKER, layers, experts), experts));
        if (withTalker) {
            tensors.addAll(tensors(stackNames(MoeStack.TALKER, 2, 4), 4));
            tensors.addAll(tensors(List.of("code2wav.code_embedding.weight"), 4));
        }
        return parts(config, Map.of("model.safetensors-00001.safetensors", repack(tensors))).checkpoint();
    }

    /** The same tensors with offsets that tile one data section. */
    public static List<TensorInfo> repack(List<TensorInfo> tensors) {
        List<TensorInfo> packed = new ArrayList<>();
        long offset = 0;
        for (TensorInfo tensor : tensors) {
            packed.add(new TensorInfo(tensor.name(), tensor.dtype(), tensor.shape(), offset, offset + tensor.byteLength()));
            offset += tensor.byteLength();
        }
        return packed;
    }

    public static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
