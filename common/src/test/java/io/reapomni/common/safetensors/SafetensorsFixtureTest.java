package io.reapomni.common.safetensors;

import io.reapomni.testfixtures.TinyQwen3Omni;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The tiny Qwen3-Omni checkpoint, written by transformers: a real-world header of every kind this project meets. */
class SafetensorsFixtureTest {
    private static final Path MODEL = TinyQwen3Omni.model();

    @Test
    void everyShardParsesAndHoldsWhatTheIndexSays() throws IOException {
        Map<String, Set<String>> indexed = tensorsByShardInIndex();
        List<Path> shards;
        try (Stream<Path> files = Files.list(MODEL)) {
            shards = files.filter(file -> file.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
        assertThat(shards).hasSize(7);
        assertThat(indexed.keySet())
                .containsExactlyInAnyOrderElementsOf(shards.stream().map(s -> s.getFileName().toString()).toList());

        int total = 0;
        for (Path shard : shards) {
            SafetensorsHeader header = SafetensorsHeaderReader.read(shard);
            Set<String> names = new HashSet<>();
            header.tensors().forEach(tensor -> names.add(tensor.name()));

            assertThat(names).as(shard.getFileName().toString())
                    .hasSize(header.tensors().size())
                    .isEqualTo(indexed.get(shard.getFileName().toString()));
            assertThat(header.metadata()).containsEntry("format", "pt");
            assertThat(header.fileLength()).isEqualTo(Files.size(shard));
            total += header.tensors().size();
        }
        assertThat(total).isEqualTo(1211);
    }

    private static Map<String, Set<String>> tensorsByShardInIndex() throws IOException {
        JsonNode weightMap = new ObjectMapper().readTree(MODEL.resolve("model.safetensors.index.json").toFile())
                .required("weight_map");
        Map<String, Set<String>> byShard = new HashMap<>();
        weightMap.properties().forEach(entry ->
                byShard.computeIfAbsent(entry.getValue().textValue(), shard -> new HashSet<>()).add(entry.getKey()));
        return byShard;
    }
}
