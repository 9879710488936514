package io.reapomni.calibration.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.DecoderModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.Projection;
import io.reapomni.common.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Staged weights against the tensors read one at a time through the plain float path. */
class WeightStagerTest {
    private static final int LAYER = 2;
    private static final String GATE = Qwen3OmniLayout.expert(MoeStack.THINKER, LAYER, 3, Projection.GATE);
    private static final String UP = Qwen3OmniLayout.expert(MoeStack.THINKER, LAYER, 3, Projection.UP);
    private static final String ROUTER = Qwen3OmniLayout.router(MoeStack.THINKER, LAYER);
    private static final String NORM =
            Qwen3OmniLayout.decoder(MoeStack.THINKER, LAYER, DecoderModule.INPUT_NORM).weight();

    private final List<TensorGroup> groups = List.of(
            new TensorGroup("gate_up", List.of(GATE, UP), DataType.FLOAT32),
            TensorGroup.of(ROUTER, DataType.FLOAT32),
            TensorGroup.of(NORM, DataType.FLOAT32));

    @Test
    void float32GroupsFromAMappedFileAreTheStoredValuesConcatenated() throws IOException {
        checkFloat32(TinyFixture.modelStore());
    }

    @Test
    void float32GroupsFromRangedReadsAreTheSame() throws IOException {
        checkFloat32(new CountingStore(TinyFixture.modelStore()));
    }

    @Test
    void float16GroupsAreTheStoredValuesRoundedToFloat16() throws IOException {
        CheckpointWeightSource source = CheckpointWeightSource.open(TinyFixture.modelStore());
        try (WeightStager stager = new WeightStager(source, 2);
             NDManager manager = TestDevice.newManager()) {
            DeviceTensors tensors = stager.stage(List.of(TensorGroup.of(GATE, DataType.FLOAT16)))
                    .place(manager).tensors();
            NDArray gate = tensors.get(GATE);
            assertThat(gate.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(gate.getDevice()).isEqualTo(manager.getDevice());
            float[] stored = source.load(GATE).values();
            float[] expected = new float[stored.length];
            for (int i = 0; i < stored.length; i++) {
                expected[i] = HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(stored[i]));
            }
            assertThat(gate.toType(DataType.FLOAT32, true).toFloatArray()).containsExactly(expected);
        }
    }

    @Test
    void aWholeLayerIsReadInOneRangedReadPerShardItSpans() throws IOException {
        CountingStore store = new CountingStore(TinyFixture.modelStore());
        CheckpointWeightSource source = CheckpointWeightSource.open(store);
        List<String> names = new ArrayList<>();
        for (DecoderModule projection : List.of(DecoderModule.Q_PROJ, DecoderModule.K_PROJ, DecoderModule.V_PROJ,
                DecoderModule.O_PROJ)) {
            names.add(Qwen3OmniLayout.decoder(MoeStack.THINKER, LAYER, projection).weight());
        }
        for (int expert = 0; expert < 8; expert++) {
            for (Projection projection : Projection.values()) {
                names.add(Qwen3OmniLayout.expert(MoeStack.THINKER, LAYER, expert, projection));
            }
        }
        Set<String> shards = new java.util.HashSet<>();
        for (String name : names) {
            shards.add(source.locate(name).shard());
        }
        long readsBefore = store.reads();

        try (WeightStager stager = new WeightStager(source, 2);
             StagedWeights staged = stager.stage(names.stream()
                     .map(name -> TensorGroup.of(name, DataType.FLOAT32)).toList())) {
            assertThat(staged.cost().bytes()).isGreaterThan(0);
        }

        assertThat(store.reads() - readsBefore).as("%d tensors in shards %s", names.size(), shards)
                .isEqualTo(shards.size());
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        CheckpointWeightSource source = CheckpointWeightSource.open(TinyFixture.modelStore());
        try (WeightStager stager = new WeightStager(source, 2)) {
            assertThatThrownBy(() -> stager.stage(List.of(TensorGroup.of("thinker.model.layers.2.nothing.weight",
                    DataType.FLOAT32))))
                    .isInstanceOf(WeightNotFoundException.class)
                    .hasMessageContaining("thinker.model.layers.2.nothing.weight");
        }
    }

    @Test
    void tensorsOfDifferentWidthsCannotBeGrouped() throws IOException {
        CheckpointWeightSource source = CheckpointWeightSource.open(TinyFixture.modelStore());
        try (WeightStager stager = new WeightStager(source, 2)) {
            assertThatThrownBy(() -> stager.stage(List.of(new TensorGroup("odd", List.of(GATE, NORM),
                    DataType.FLOAT32))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot be stacked");
        }
    }

    private void checkFloat32(ObjectStore store) throws IOException {
        CheckpointWeightSource source = CheckpointWeightSource.open(store);
        try (WeightStager stager = new WeightStager(source, 3);
             NDManager manager = TestDevice.newManager()) {
            DeviceTensors tensors = stager.stage(groups).place(manager).tensors();
            float[] gate = source.load(GATE).values();
            float[] up = source.load(UP).values();
            float[] gateUp = new float[gate.length + up.length];
            System.arraycopy(gate, 0, gateUp, 0, gate.length);
            System.arraycopy(up, 0, gateUp, gate.length, up.length);
            long[] gateShape = source.shape(GATE);
            assertThat(tensors.get("gate_up").getShape().getShape()).containsExactly(2 * gateShape[0], gateShape[1]);
            assertThat(tensors.get("gate_up").toFloatArray()).containsExactly(gateUp);
            assertThat(tensors.get(ROUTER).toFloatArray()).containsExactly(source.load(ROUTER).values());
            assertThat(tensors.get(NORM).toFloatArray()).containsExactly(source.load(NORM).values());
            assertThat(tensors.get(NORM).getShape().getShape()).containsExactly(source.shape(NORM));
        }
    }
}
