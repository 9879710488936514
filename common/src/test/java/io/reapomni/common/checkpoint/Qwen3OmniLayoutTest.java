package io.reapomni.common.checkpoint;

import io.reapomni.common.checkpoint.Qwen3OmniLayout.AudioLayerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.AudioTowerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.DecoderModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.MergerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.Module;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.Projection;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.VisionBlockModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.VisionModule;
import io.reapomni.common.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The layout against the fixture that transformers wrote: every name it builds is one of the fixture's, every
 * fixture tensor of the parts it names is built by it, and it classifies every fixture name.
 */
class Qwen3OmniLayoutTest {

    @Test
    void namesTheDecoderStacksEmbeddingsAndHeadsExactlyAsTransformersWroteThem() throws IOException {
        ModelConfig config = ModelConfig.parse(TestCheckpoints.fixtureConfig());
        List<String> named = new ArrayList<>(List.of(Qwen3OmniLayout.EMBED_TOKENS, Qwen3OmniLayout.LM_HEAD,
                Qwen3OmniLayout.TALKER_CODEC_HEAD));
        for (MoeStack stack : MoeStack.values()) {
            StackConfig stackConfig = config.stack(stack);
            named.add(Qwen3OmniLayout.finalNorm(stack));
            for (int layer = 0; layer < stackConfig.numHiddenLayers(); layer++) {
                for (DecoderModule module : DecoderModule.values()) {
                    named.add(Qwen3OmniLayout.decoder(stack, layer, module).weight());
                }
                named.add(Qwen3OmniLayout.router(stack, layer));
                for (int expert = 0; expert < stackConfig.numExperts(); expert++) {
                    for (Projection projection : Projection.values()) {
                        named.add(Qwen3OmniLayout.expert(stack, layer, expert, projection));
                    }
                }
                if (stack == MoeStack.TALKER) {
                    for (Projection projection : Projection.values()) {
                        named.add(Qwen3OmniLayout.sharedExpert(layer, projection));
                    }
                    named.add(Qwen3OmniLayout.sharedExpertGate(layer));
                }
            }
        }

        // Selected from the fixture's index by prefix, outside this code base.
        assertThat(named).containsExactlyInAnyOrderElementsOf(fixtureNamesStartingWith("thinker.model.",
                "thinker.lm_head.", "talker.model.layers.", "talker.model.norm.", "talker.codec_head."));
    }

    @Test
    void namesTheAudioAndVisionTowersExactlyAsTransformersWroteThem() throws IOException {
        ModelConfig config = ModelConfig.parse(TestCheckpoints.fixtureConfig());
        List<String> audio = new ArrayList<>();
        for (AudioTowerModule module : AudioTowerModule.values()) {
            addWeightAndBias(audio, Qwen3OmniLayout.audioTower(module), module != AudioTowerModule.CONV_OUT);
        }
        for (int layer = 0; layer < config.at("/thinker_config/audio_config/encoder_layers").asInt(); layer++) {
            for (AudioLayerModule module : AudioLayerModule.values()) {
                addWeightAndBias(audio, Qwen3OmniLayout.audioLayer(layer, module), true);
            }
        }
        List<String> vision = new ArrayList<>();
        addWeightAndBias(vision, Qwen3OmniLayout.vision(VisionModule.PATCH_EMBED), true);
        addWeightAndBias(vision, Qwen3OmniLayout.vision(VisionModule.POS_EMBED), false);
        for (int block = 0; block < config.at("/thinker_config/vision_config/depth").asInt(); block++) {
            for (VisionBlockModule module : VisionBlockModule.values()) {
                addWeightAndBias(vision, Qwen3OmniLayout.visionBlock(block, module), true);
            }
        }
        int deepstackMergers = config.at("/thinker_config/vision_config/deepstack_visual_indexes").size();
        for (MergerModule module : MergerModule.values()) {
            addWeightAndBias(vision, Qwen3OmniLayout.merger(module), true);
            for (int merger = 0; merger < deepstackMergers; merger++) {
                addWeightAndBias(vision, Qwen3OmniLayout.deepstackMerger(merger, module), true);
            }
        }

        assertThat(audio).containsExactlyInAnyOrderElementsOf(fixtureNamesStartingWith("thinker.audio_tower."));
        assertThat(vision).containsExactlyInAnyOrderElementsOf(fixtureNamesStartingWith("thinker.visual."));
    }

    @Test
    void classifiesEveryFixtureTensorIntoItsComponent() throws IOException {
        List<TensorName> names = TestCheckpoints.fixtureNames().stream().map(Qwen3OmniLayout::classify).toList();

        Map<Component, Long> counts = names.stream()
                .collect(Collectors.groupingBy(TensorName::component, Collectors.counting()));

        // Counted from the fixture's index by prefix, outside this code base.
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
                Component.AUDIO_TOWER, 45L, Component.VISION, 45L, Component.THINKER_TEXT, 201L,
                Component.TALKER, 823L, Component.CODE2WAV, 97L));
    }

    @Test
    void findsTheDecoderLayersExpertsRoutersAndSharedExpertsOfTheFixture() throws IOException {
        List<LayerTensor> layerTensors = TestCheckpoints.fixtureNames().stream().map(Qwen3OmniLayout::classify)
                .flatMap(name -> name.layerTensor().stream()).toList();
        Map<String, Long> byStackAndKind = layerTensors.stream().collect(Collectors.groupingBy(
                tensor -> tensor.stack().id() + "/" + tensor.kind(), Collectors.counting()));

        assertThat(byStackAndKind).containsExactlyInAnyOrderEntriesOf(Map.of(
                "thinker/EXPERT", 6L * 8 * 3, "thinker/ROUTER", 6L, "thinker/OTHER", 6L * 8,
                "talker/EXPERT", 2L * 128 * 3, "talker/ROUTER", 2L, "talker/SHARED_EXPERT", 2L * 4,
                "talker/OTHER", 2L * 8));
        assertThat(layerTensors).filteredOn(tensor -> tensor.kind() == LayerTensorKind.EXPERT)
                .extracting(tensor -> tensor.expert().getAsInt())
                .allSatisfy(expert -> assertThat(expert).isBetween(0, 127));
    }

    @Test
    void aFixtureLayerTensorRenamedToItsOwnLayerAndExpertIsItsOwnName() throws IOException {
        for (String name : TestCheckpoints.fixtureNames()) {
            Qwen3OmniLayout.classify(name).layerTensor().ifPresent(tensor ->
                    assertThat(tensor.renamed(tensor.layer(), tensor.expert())).isEqualTo(name));
        }
    }

    @Test
    void readsLayerAndExpertOfAnExpertProjection() {
        TensorName name = Qwen3OmniLayout.classify("thinker.model.layers.5.mlp.experts.6.up_proj.weight");

        assertThat(name.component()).isEqualTo(Component.THINKER_TEXT);
        LayerTensor tensor = name.layerTensor().orElseThrow();
        assertThat(tensor.stack()).isEqualTo(MoeStack.THINKER);
        assertThat(tensor.layer()).isEqualTo(5);
        assertThat(tensor.kind()).isEqualTo(LayerTensorKind.EXPERT);
        assertThat(tensor.expert()).hasValue(6);
        assertThat(tensor.renamed(3, OptionalInt.of(3)))
                .isEqualTo("thinker.model.layers.3.mlp.experts.3.up_proj.weight");
        assertThat(Qwen3OmniLayout.classify("talker.model.layers.1.self_attn.k_norm.weight").layerTensor()
                .orElseThrow().renamed(0)).isEqualTo("talker.model.layers.0.self_attn.k_norm.weight");
    }

    @Test
    void neverTakesSharedExpertsOrCodePredictorLayersForRoutedExperts() {
        assertThat(kindOf("talker.model.layers.1.mlp.shared_expert.down_proj.weight"))
                .isEqualTo(LayerTensorKind.SHARED_EXPERT);
        assertThat(kindOf("talker.model.layers.1.mlp.shared_expert_gate.weight"))
                .isEqualTo(LayerTensorKind.SHARED_EXPERT);
        assertThat(Qwen3OmniLayout.classify("talker.code_predictor.model.layers.0.mlp.gate_proj.weight").layerTensor())
                .isEmpty();
        assertThat(kindOf("thinker.model.layers.0.mlp.gate_proj.weight")).isEqualTo(LayerTensorKind.OTHER);
    }

    @Test
    void recognisesOtherExpertLayoutsAsFused() {
        assertThat(List.of("thinker.model.layers.0.mlp.experts.gate_up_proj",
                "thinker.model.layers.0.mlp.experts.down_proj",
                "thinker.model.layers.0.mlp.experts.03.up_proj.weight",
                "thinker.model.layers.0.mlp.experts.3.w1.weight"))
                .extracting(Qwen3OmniLayoutTest::kindOf).containsOnly(LayerTensorKind.FUSED_EXPERTS);
    }

    @Test
    void marksNamesWithoutALayerNumberUnderAStackPrefixAsMalformed() {
        assertThat(Qwen3OmniLayout.classify("thinker.model.layers.x.mlp.gate.weight")
                .malformedLayerOf(MoeStack.THINKER)).isTrue();
        assertThat(Qwen3OmniLayout.classify("thinker.model.layers.2.mlp.gate.weight")
                .malformedLayerOf(MoeStack.THINKER)).isFalse();
        assertThat(Qwen3OmniLayout.classify("something.else").component()).isEqualTo(Component.OTHER);
    }

    @Test
    void refusesToNameANegativeLayerOrExpert() {
        assertThatThrownBy(() -> Qwen3OmniLayout.expert(MoeStack.THINKER, 0, -1, Projection.UP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> Qwen3OmniLayout.router(MoeStack.TALKER, -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
    }

    @Test
    void takesExactlyTheOneDimensionalWeightsOfTheFixtureForNormScales() throws IOException {
        // In a Qwen3-Omni checkpoint the only one-dimensional weights are the scales of its norms.
        List<String> oneDimensionalWeights = TestCheckpoints.fixture().tensorInfos().stream()
                .filter(tensor -> tensor.shape().size() == 1 && tensor.name().endsWith(".weight"))
                .map(TensorInfo::name).toList();

        assertThat(oneDimensionalWeights).hasSize(56);
        assertThat(TestCheckpoints.fixtureNames()).filteredOn(Qwen3OmniLayout::isNormScale)
                .containsExactlyInAnyOrderElementsOf(oneDimensionalWeights);
    }

    private static LayerTensorKind kindOf(String name) {
        return Qwen3OmniLayout.classify(name).layerTensor().orElseThrow().kind();
    }

    private static void addWeightAndBias(List<String> names, Module module, boolean hasBias) {
        names.add(module.weight());
        if (hasBias) {
            names.add(module.bias());
        }
    }

    private static List<String> fixtureNamesStartingWith(String... prefixes) throws IOException {
        return TestCheckpoints.fixtureNames().stream()
                .filter(name -> List.of(prefixes).stream().anyMatch(name::startsWith)).toList();
    }
}
