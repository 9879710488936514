package io.reapomni.common.checkpoint;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TensorNameTest {

    @Test
    void classifiesEveryFixtureTensorIntoItsComponent() throws IOException {
        List<TensorName> names = TestCheckpoints.fixtureNames().stream().map(TensorName::parse).toList();

        Map<Component, Long> counts = names.stream()
                .collect(Collectors.groupingBy(TensorName::component, Collectors.counting()));

        // Counted from the fixture's index by prefix, outside this code base.
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
                Component.AUDIO_TOWER, 45L, Component.VISION, 45L, Component.THINKER_TEXT, 201L,
                Component.TALKER, 823L, Component.CODE2WAV, 97L));
    }

    @Test
    void findsTheDecoderLayersExpertsRoutersAndSharedExpertsOfTheFixture() throws IOException {
        List<LayerTensor> layerTensors = TestCheckpoints.fixtureNames().stream().map(TensorName::parse)
                .flatMap(name -> name.layerTensor().stream()).toList();
        Map<String, Long> byStackAndKind = layerTensors.stream().collect(Collectors.groupingBy(
                tensor -> tensor.stack().id() + "/" + tensor.kind(), Collectors.counting()));

        assertThat(byStackAndKind).containsExactlyInAnyOrderEntriesOf(Map.of(
                "thinker/EXPERT", 6L * 8 * 3, "thinker/ROUTER", 6L, "thinker/OTHER", 6L * 8,
                "talker/EXPERT", 2L * 128 * 3, "talker/ROUTER", 2L, "talker/SHARED_EXPERT", 2L * 4, "talker/OTHER", 2L * 8));
        assertThat(layerTensors).filteredOn(tensor -> tensor.kind() == LayerTensorKind.EXPERT)
                .extracting(tensor -> tensor.expert().getAsInt())
                .allSatisfy(expert -> assertThat(expert).isBetween(0, 127));
    }

    @Test
    void readsLayerAndExpertOfAnExpertProjection() {
        TensorName name = TensorName.parse("thinker.model.layers.5.mlp.experts.6.up_proj.weight");

        assertThat(name.component()).isEqualTo(Component.THINKER_TEXT);
        LayerTensor tensor = name.layerTensor().orElseThrow();
        assertThat(tensor.stack()).isEqualTo(MoeStack.THINKER);
        assertThat(tensor.layer()).isEqualTo(5);
        assertThat(tensor.kind()).isEqualTo(LayerTensorKind.EXPERT);
        assertThat(tensor.expert()).hasValue(6);
        assertThat(tensor.renamed(3, OptionalInt.of(3))).isEqualTo("thinker.model.layers.3.mlp.experts.3.up_proj.weight");
    }

    @Test
    void neverTakesSharedExpertsOrCodePredictorLayersForRoutedExperts() {
        assertThat(TensorName.parse("talker.model.layers.1.mlp.shared_expert.down_proj.weight").layerTensor())
                .get().extracting(LayerTensor::kind).isEqualTo(LayerTensorKind.SHARED_EXPERT);
        assertThat(TensorName.parse("talker.model.layers.1.mlp.shared_expert_gate.weight").layerTensor())
                .get().extracting(LayerTensor::kind).isEqualTo(LayerTensorKind.SHARED_EXPERT);
        assertThat(TensorName.parse("talker.code_predictor.model.layers.0.mlp.gate_proj.weight").layerTensor()).isEmpty();
        assertThat(TensorName.parse("thinker.model.layers.0.mlp.gate_proj.weight").layerTensor())
                .get().extracting(LayerTensor::kind).isEqualTo(LayerTensorKind.OTHER);
    }

    @Test
    void recognisesOtherExpertLayoutsAsFused() {
        Function<String, LayerTensorKind> kind = name -> TensorName.parse(name).layerTensor().orElseThrow().kind();

        assertThat(kind.apply("thinker.model.layers.0.mlp.experts.gate_up_proj")).isEqualTo(LayerTensorKind.FUSED_EXPERTS);
        assertThat(kind.apply("thinker.model.layers.0.mlp.experts.down_proj")).isEqualTo(LayerTensorKind.FUSED_EXPERTS);
        assertThat(kind.apply("thinker.model.layers.0.mlp.experts.03.up_proj.weight")).isEqualTo(LayerTensorKind.FUSED_EXPERTS);
        assertThat(kind.apply("thinker.model.layers.0.mlp.experts.3.w1.weight")).isEqualTo(LayerTensorKind.FUSED_EXPERTS);
    }

    @Test
    void marksNamesWithoutALayerNumberUnderAStackPrefixAsMalformed() {
        assertThat(TensorName.parse("thinker.model.layers.x.mlp.gate.weight").malformedLayerOf(MoeStack.THINKER)).isTrue();
        assertThat(TensorName.parse("thinker.model.layers.2.mlp.gate.weight").malformedLayerOf(MoeStack.THINKER)).isFalse();
        assertThat(TensorName.parse("something.else").component()).isEqualTo(Component.OTHER);
    }
}
