package io.reapomni.common.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.ObjectInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {

    @Test
    void opensTheFixtureThroughItsShardHeaders() throws IOException {
        Checkpoint checkpoint = TestCheckpoints.fixture();

        assertThat(checkpoint.tensors()).hasSize(1211);
        assertThat(checkpoint.shards()).extracting(Shard::key).containsExactly(
                "model-00001-of-00007.safetensors", "model-00002-of-00007.safetensors", "model-00003-of-00007.safetensors",
                "model-00004-of-00007.safetensors", "model-00005-of-00007.safetensors", "model-00006-of-00007.safetensors",
                "model-00007-of-00007.safetensors");
        assertThat(checkpoint.tensorsPerShard()).containsValues(250, 269, 384, 73, 99, 118, 18);
        assertThat(checkpoint.otherFiles()).containsExactly("generation_config.json", "tokenizer.json", "tokenizer_config.json");
        assertThat(checkpoint.index()).get().extracting(CheckpointIndex::totalSize).isEqualTo(2_355_282L);
        assertThat(checkpoint.inventory().total()).isEqualTo(new ComponentSize(1_177_641, 2_355_282));
        assertThat(checkpoint.inventory().components()).containsOnlyKeys(Component.AUDIO_TOWER, Component.VISION,
                Component.THINKER_TEXT, Component.TALKER, Component.CODE2WAV);
        StackInventory thinker = checkpoint.inventory().stacks().get(MoeStack.THINKER);
        assertThat(thinker.layers()).containsOnlyKeys(0, 1, 2, 3, 4, 5);
        assertThat(thinker.layers().get(4).experts()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(thinker.layers().get(4).routerShape()).contains(List.of(8L, 64L));
        StackInventory talker = checkpoint.inventory().stacks().get(MoeStack.TALKER);
        assertThat(talker.layers().get(1).experts()).hasSize(128).first().isEqualTo(0);
    }

    @Test
    void keepsSourceOrderShardByShardAndByOffset() throws IOException {
        Checkpoint checkpoint = TestCheckpoints.fixture();
        List<TensorLocation> tensors = checkpoint.tensors();

        for (int i = 1; i < tensors.size(); i++) {
            TensorLocation previous = tensors.get(i - 1);
            TensorLocation current = tensors.get(i);
            if (previous.shardKey().equals(current.shardKey())) {
                assertThat(current.info().begin()).isGreaterThanOrEqualTo(previous.info().end());
            } else {
                assertThat(current.shardKey()).isGreaterThan(previous.shardKey());
            }
        }
    }

    @Test
    void acceptsAConsistentHandBuiltCheckpointAndSkipsHiddenFiles() throws CheckpointException {
        TestCheckpoints.Parts parts = twoShards();
        parts.listing().add(new ObjectInfo("tokenizer.json", 10));
        parts.listing().add(new ObjectInfo(".staging/model-00001.safetensors", 10));
        parts.listing().add(new ObjectInfo(".DS_Store", 10));

        Checkpoint checkpoint = parts.checkpoint();

        assertThat(checkpoint.otherFiles()).containsExactly("tokenizer.json");
        assertThat(checkpoint.tensor("thinker.model.layers.1.mlp.gate.weight").shardKey()).isEqualTo("b.safetensors");
    }

    @Test
    void refusesAnIndexThatNamesAMissingShard() {
        TestCheckpoints.Parts parts = twoShards();
        parts.listing().removeIf(object -> object.key().equals("b.safetensors"));
        parts.headers().remove("b.safetensors");

        assertThatThrownBy(parts::checkpoint).hasMessageContaining("index names shard b.safetensors, which does not exist");
    }

    @Test
    void refusesATensorOfTheIndexThatItsShardLacks() {
        TestCheckpoints.Parts parts = twoShards();
        ((ObjectNode) parts.index().get("weight_map")).put("thinker.model.norm.weight", "a.safetensors");

        assertThatThrownBy(parts::checkpoint)
                .hasMessageContaining("tensor thinker.model.norm.weight is in the index but missing from the header of a.safetensors");
    }

    @Test
    void refusesATensorThatTheIndexLacksAndReportsEveryProblemAtOnce() {
        TestCheckpoints.Parts parts = twoShards();
        ((ObjectNode) parts.index().get("weight_map")).remove("thinker.model.embed_tokens.weight");
        ((ObjectNode) parts.index().get("metadata")).put("total_size", 1);

        assertThatThrownBy(parts::checkpoint)
                .hasMessageContaining("tensor thinker.model.embed_tokens.weight is in shard a.safetensors but not in the index")
                .hasMessageContaining("metadata.total_size is 1 but the tensors hold");
    }

    @Test
    void refusesATensorInTwoShards() {
        TestCheckpoints.Parts parts = twoShards();
        List<TensorInfo> b = new ArrayList<>(parts.headers().get("b.safetensors").tensors());
        b.addAll(TestCheckpoints.tensors(List.of("thinker.model.embed_tokens.weight"), 2));
        parts.headers().put("b.safetensors", TestCheckpoints.header(TestCheckpoints.repack(b)));
        parts.listing().replaceAll(object -> object.key().equals("b.safetensors")
                ? new ObjectInfo("b.safetensors", parts.headers().get("b.safetensors").fileLength()) : object);

        assertThatThrownBy(parts::checkpoint)
                .hasMessageContaining("tensor thinker.model.embed_tokens.weight is in two shards: a.safetensors and b.safetensors");
    }

    @Test
    void refusesATruncatedShardAndAStraySafetensorsFile() {
        TestCheckpoints.Parts parts = twoShards();
        parts.listing().replaceAll(object -> object.key().equals("a.safetensors") ? new ObjectInfo("a.safetensors", 9) : object);
        parts.listing().add(new ObjectInfo("old.safetensors", 100));

        assertThatThrownBy(parts::checkpoint)
                .hasMessageContaining("shard a.safetensors is 9 bytes but its header describes")
                .hasMessageContaining("safetensors file old.safetensors is not part of the checkpoint");
    }

    @Test
    void refusesACheckpointWithoutThinkerLayers() {
        TestCheckpoints.Parts parts = TestCheckpoints.parts(TestCheckpoints.config(2, 2, 1, 0),
                Map.of("a.safetensors", TestCheckpoints.tensors(List.of("thinker.visual.pos_embed.weight"), 2)));

        assertThatThrownBy(parts::checkpoint).hasMessageContaining("unknown layout: no thinker decoder layers");
    }

    @Test
    void refusesLayersAndExpertsThatDisagreeWithTheConfig() {
        List<String> names = new ArrayList<>(TestCheckpoints.stackNames(MoeStack.THINKER, 2, 4));
        names.remove("thinker.model.layers.1.mlp.experts.3.gate_proj.weight");
        names.remove("thinker.model.layers.1.mlp.experts.3.up_proj.weight");
        names.remove("thinker.model.layers.1.mlp.experts.3.down_proj.weight");
        names.remove("thinker.model.layers.0.mlp.experts.2.down_proj.weight");
        TestCheckpoints.Parts parts = TestCheckpoints.parts(TestCheckpoints.config(3, 4, 1, 0),
                Map.of("a.safetensors", TestCheckpoints.tensors(names, 4)));

        assertThatThrownBy(parts::checkpoint)
                .hasMessageContaining("thinker has layers [0, 1] but /thinker_config/text_config/num_hidden_layers is 3")
                .hasMessageContaining("thinker layer 1 has experts [0, 1, 2] but /thinker_config/text_config/num_experts is 4")
                .hasMessageContaining("thinker layer 0: experts [2] lack one of gate_proj, up_proj, down_proj");
    }

    @Test
    void refusesARouterWhoseRowsAreNotTheExperts() {
        TestCheckpoints.Parts parts = TestCheckpoints.parts(TestCheckpoints.config(1, 4, 1, 0),
                Map.of("a.safetensors", TestCheckpoints.tensors(TestCheckpoints.stackNames(MoeStack.THINKER, 1, 4), 5)));

        assertThatThrownBy(parts::checkpoint).hasMessageContaining("router mlp.gate.weight has shape [5, 4], expected 4 rows");
    }

    @Test
    void readsASingleFileCheckpointWithoutIndex() throws CheckpointException {
        TestCheckpoints.Parts parts = TestCheckpoints.parts(TestCheckpoints.config(1, 2, 1, 0),
                Map.of("model.safetensors", TestCheckpoints.tensors(TestCheckpoints.stackNames(MoeStack.THINKER, 1, 2), 2)));
        parts.listing().removeIf(object -> object.key().equals(CheckpointIndex.KEY));
        CheckpointFiles files = new CheckpointFiles(parts.listing(), TestCheckpoints.bytes(parts.config()),
                java.util.Optional.empty(), parts.headers());

        Checkpoint checkpoint = Checkpoint.of(TestCheckpoints.SYNTHETIC, files);

        assertThat(checkpoint.index()).isEmpty();
        assertThat(checkpoint.tensors()).hasSize(2 + 2 * 3);
    }

    private static TestCheckpoints.Parts twoShards() {
        List<String> names = new ArrayList<>(List.of("thinker.model.embed_tokens.weight"));
        names.addAll(TestCheckpoints.stackNames(MoeStack.THINKER, 2, 2));
        Map<String, List<TensorInfo>> shards = new TreeMap<>();
        int half = names.size() / 2;
        shards.put("a.safetensors", TestCheckpoints.tensors(names.subList(0, half), 2));
        shards.put("b.safetensors", TestCheckpoints.tensors(names.subList(half, names.size()), 2));
        TestCheckpoints.Parts parts = TestCheckpoints.parts(TestCheckpoints.config(2, 2, 1, 0), shards);
        return new TestCheckpoints.Parts(parts.config(), parts.index(), new TreeMap<>(parts.headers()),
                new ArrayList<>(parts.listing()));
    }

}
