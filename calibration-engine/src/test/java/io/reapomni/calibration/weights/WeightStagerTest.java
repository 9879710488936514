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
import io.reapomni.common.safetensors.DType;
import io.reapomni.common.safetensors.SafetensorsFileWriter;
import io.reapomni.common.safetensors.SafetensorsHeaderWriter;
import io.reapomni.common.safetensors.TensorSpec;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * A float16 block that mixes bfloat16 tensors (copied as bits, converted on the device) with a float32 one
     * between them (decoded on the host): every value is what the host decoder makes of it, and what neither
     * conversion could keep is counted once, whichever side did it.
     */
    @Test
    void float16BlocksMixingDeviceAndHostConversionsHoldTheRoundedValuesAndCountWhatWasLost(@TempDir Path folder)
            throws IOException {
        float[] first = {1.5f, 1e6f, -3e38f, 1e-30f, -2.25f, Float.POSITIVE_INFINITY};
        float[] between = {70000f, 0.125f, 1e-9f};
        float[] last = {-1e-40f, 65504f, -0f};
        try (OutputStream out = Files.newOutputStream(folder.resolve("model.safetensors"));
             SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, SafetensorsHeaderWriter.encode(Map.of(),
                     List.of(new TensorSpec("first", DType.BF16, List.of(2L, 3L)),
                             new TensorSpec("between", DType.F32, List.of(1L, 3L)),
                             new TensorSpec("last", DType.BF16, List.of(1L, 3L)))))) {
            writer.write("first", bf16(first));
            ByteBuffer floats = ByteBuffer.allocate(4 * between.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : between) {
                floats.putFloat(value);
            }
            writer.write("between", floats.flip());
            writer.write("last", bf16(last));
        }
        CheckpointWeightSource source = CheckpointWeightSource.ofFile(new LocalObjectStore(folder),
                "model.safetensors");
        List<TensorGroup> stacked = List.of(new TensorGroup("all", List.of("first", "between", "last"),
                DataType.FLOAT16));
        try (WeightStager stager = new WeightStager(source, 2);
             NDManager manager = TestDevice.newManager();
             PlacedWeights placed = PlacedWeights.place(stager.stage(stacked), manager)) {
            float[] expected = new float[12];
            int at = 0;
            for (float[] part : List.of(first, between, last)) {
                for (float value : part) {
                    // bfloat16 first: the stored bits are the value's upper half
                    float stored = part == between ? value : HalfPrecision.bf16ToFloat(
                            (short) (Float.floatToRawIntBits(value) >>> 16));
                    expected[at++] = HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(stored));
                }
            }
            NDArray all = placed.tensors().get("all");
            assertThat(all.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(all.toType(DataType.FLOAT32, true).toFloatArray()).containsExactly(expected);
            // clamped: 1e6 and -3e38 (bfloat16), 70000 (float32); flushed: 1e-30, -1e-40 (bfloat16), 1e-9 (float32)
            assertThat(placed.staging().loss()).isEqualTo(new ConversionLoss(3, 3));
        }
    }

    private static ByteBuffer bf16(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putShort((short) (Float.floatToRawIntBits(value) >>> 16));
        }
        return bytes.flip();
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
