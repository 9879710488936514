package io.reapomni.devtools.synthetic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointIndex;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.safetensors.EncodedHeader;
import io.reapomni.common.safetensors.SafetensorsFileWriter;
import io.reapomni.common.safetensors.SafetensorsHeaderWriter;
import io.reapomni.common.safetensors.TensorSpec;
import io.reapomni.common.storage.Futures;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a Qwen3-Omni-shaped checkpoint of generated weights: sharded bf16 safetensors with the real tensor names,
 * an index, a config.json in the transformers-5 style, a generation config and, when the vocabulary holds every
 * byte, a byte-level tokenizer ({@link SyntheticTokenizer}): the engine can run it on text and audio. Each tensor's
 * bytes differ from every other tensor's, so that a copy under the wrong name is caught. Weights are small finite
 * bf16 values, norm scales near one. Memory stays at two 1 MiB pattern blocks and a copy buffer per
 * writing thread whatever the model's size.
 */
public final class SyntheticCheckpoint {
    private static final int PATTERN_BYTES = 1 << 20;
    private SyntheticCheckpoint() {
    }

    /** Writes the checkpoint into {@code folder} (created if needed) and returns the total tensor bytes. */
    public static long write(Path folder, SyntheticModelSpec spec) throws IOException {
        Files.createDirectories(folder);
        List<List<TensorSpec>> shards = cutIntoShards(SyntheticTensors.of(spec), spec.maxShardBytes());
        ByteBuffer pattern = bf16Pattern();
        ByteBuffer scales = bf16Scales();
        Map<String, String> weightMap = new TreeMap<>();
        long totalBytes = 0;
        long totalParameters = 0;
        List<Callable<Void>> writes = new ArrayList<>();
        for (int index = 0; index < shards.size(); index++) {
            String shardName = String.format("model-%05d-of-%05d.safetensors", index + 1, shards.size());
            List<TensorSpec> tensors = shards.get(index);
            writes.add(() -> {
                writeShard(folder.resolve(shardName), tensors, pattern, scales);
                return null;
            });
            for (TensorSpec tensor : tensors) {
                weightMap.put(tensor.name(), shardName);
                totalBytes += tensor.byteLength();
                totalParameters += tensor.byteLength() / tensor.dtype().byteSize();
            }
        }
        writeAll(writes);
        Files.write(folder.resolve(CheckpointIndex.KEY),
                new CheckpointIndex(weightMap, totalBytes, OptionalLong.of(totalParameters)).toJsonBytes());
        StrictJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValue(folder.resolve(Checkpoint.CONFIG_KEY).toFile(), SyntheticConfig.of(spec));
        ObjectNode generation = StrictJson.MAPPER.createObjectNode().put("do_sample", false);
        generation.putArray("eos_token_id")
                .add(SyntheticConfig.specialTokenId(spec.vocabSize(), "<|im_end|>"))
                .add(SyntheticConfig.specialTokenId(spec.vocabSize(), "<|endoftext|>"));
        StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("generation_config.json").toFile(),
                generation);
        Optional<ObjectNode> tokenizer = SyntheticTokenizer.of(spec.vocabSize());
        if (tokenizer.isPresent()) {
            StrictJson.MAPPER.writeValue(folder.resolve("tokenizer.json").toFile(), tokenizer.get());
        }
        return totalBytes;
    }

    /** Module order across shards, as transformers saves; name order inside a shard, as safetensors stores. */
    private static List<List<TensorSpec>> cutIntoShards(List<TensorSpec> tensors, long maxShardBytes) {
        List<List<TensorSpec>> shards = new ArrayList<>();
        List<TensorSpec> current = new ArrayList<>();
        long currentBytes = 0;
        for (TensorSpec tensor : tensors) {
            if (!current.isEmpty() && currentBytes + tensor.byteLength() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(tensor);
            currentBytes += tensor.byteLength();
        }
        shards.add(current);
        shards.forEach(shard -> shard.sort(Comparator.comparing(TensorSpec::name)));
        return shards;
    }

    /**
     * The shards written side by side, one per core: a 48-layer model is 56 GiB, which one thread writes at a few
     * hundred MiB/s, as slow as the run it is written for.
     */
    private static void writeAll(List<Callable<Void>> writes) throws IOException {
        ExecutorService writers = Executors.newFixedThreadPool(
                Math.max(1, Math.min(writes.size(), Runtime.getRuntime().availableProcessors())));
        try {
            for (Future<Void> write : writers.invokeAll(writes)) {
                Futures.get(write, "a synthetic shard being written");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the synthetic checkpoint");
        } finally {
            writers.shutdownNow();
        }
    }

    private static void writeShard(Path file, List<TensorSpec> tensors, ByteBuffer pattern, ByteBuffer scales)
            throws IOException {
        EncodedHeader header = SafetensorsHeaderWriter.encode(Map.of("format", "pt"), tensors);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        try (SafetensorsFileWriter writer = SafetensorsFileWriter.start(channel, header)) {
            for (TensorSpec tensor : tensors) {
                ByteBuffer values = Qwen3OmniLayout.isNormScale(tensor.name()) ? scales : pattern;
                writer.write(tensor.name(), new PatternStream(values, tensor.name().hashCode(), tensor.byteLength()));
            }
        }
    }

    /**
     * Random positive bf16 values in [1, 2), for norm scales: with the small weights of {@link #bf16Pattern} the
     * synthetic model then computes with values of the sizes a trained one has, and norms stay distinct too.
     */
    private static ByteBuffer bf16Scales() {
        SplittableRandom random = new SplittableRandom(20261207L);
        byte[] bytes = new byte[PATTERN_BYTES];
        for (int i = 0; i < bytes.length; i += 2) {
            bytes[i] = (byte) (0x80 | random.nextInt(1 << 7)); // the exponent's lowest bit (127) and the mantissa
            bytes[i + 1] = 0x3F; // positive, the exponent's high bits
        }
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** Random bf16 values of magnitude 2^-7 to 2^-5 with random signs: finite, and distinct from tensor to tensor. */
    private static ByteBuffer bf16Pattern() {
        SplittableRandom random = new SplittableRandom(20261129L);
        byte[] bytes = new byte[PATTERN_BYTES];
        for (int i = 0; i < bytes.length; i += 2) {
            int bits = random.nextInt(1 << 9);
            bytes[i] = (byte) bits; // low byte: exponent's lowest bit and the mantissa
            bytes[i + 1] = (byte) (((bits >> 8) << 7) | 0x3C); // sign, and the exponent's high bits (120 or 121)
        }
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
}
