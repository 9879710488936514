package io.reapomni.calibration.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.DecoderModule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layer l + 1 is read, decoded and placed on the device while layer l is in use, never more than those two at once,
 * and what a caller gets is the stored values.
 */
class LayerPrefetchTest {
    private static final int LAYERS = 6;

    private static String queryProjection(int layer) {
        return Qwen3OmniLayout.decoder(MoeStack.THINKER, layer, DecoderModule.Q_PROJ).weight();
    }

    private static List<TensorGroup> groups(int layer) {
        return List.of(TensorGroup.of(queryProjection(layer), DataType.FLOAT32));
    }

    @Test
    void theNextLayerIsPlacedWhileTheCurrentOneIsInUseAndNothingOutlivesTheRun() throws IOException {
        CheckpointWeightSource source = CheckpointWeightSource.open(TinyFixture.modelStore());
        long layerElements = source.load(queryProjection(0)).values().length;
        try (WeightStager stager = new WeightStager(source, 2);
             NDManager device = TestDevice.newManager()) {
            try (LayerPrefetch prefetch = new LayerPrefetch(stager, LayerPrefetchTest::groups, LAYERS, device)) {
                for (int layer = 0; layer < LAYERS; layer++) {
                    try (PlacedWeights weights = prefetch.take(layer)) {
                        NDArray query = weights.tensors().get(queryProjection(layer));
                        assertThat(query.getDevice()).isEqualTo(device.getDevice());
                        assertThat(query.toFloatArray()).containsExactly(source.load(queryProjection(layer)).values());
                        assertThat(weights.staging().bytes()).isPositive();
                        long expected = (layer + 1 < LAYERS ? 2 : 1) * layerElements;
                        // the next layer arrives in the background; it never comes with a third
                        awaitElements(device, expected);
                    }
                }
            }
            assertThat(device.getManagedArrays()).isEmpty();
        }
    }

    @Test
    void aLayerPreparedAheadThatIsSkippedIsFreed() throws IOException {
        CheckpointWeightSource source = CheckpointWeightSource.open(TinyFixture.modelStore());
        long layerElements = source.load(queryProjection(0)).values().length;
        try (WeightStager stager = new WeightStager(source, 2);
             NDManager device = TestDevice.newManager();
             LayerPrefetch prefetch = new LayerPrefetch(stager, LayerPrefetchTest::groups, LAYERS, device)) {
            prefetch.take(0).close();
            try (PlacedWeights last = prefetch.take(LAYERS - 1)) {
                // layer 1, prepared ahead, was freed; the last layer has no next one
                assertThat(elementsOn(device)).isEqualTo(layerElements);
                assertThat(last.tensors().get(queryProjection(LAYERS - 1)).toFloatArray())
                        .containsExactly(source.load(queryProjection(LAYERS - 1)).values());
            }
            assertThat(device.getManagedArrays()).isEmpty();
        }
    }

    private static void awaitElements(NDManager device, long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (elementsOn(device) != expected) {
            assertThat(System.nanoTime()).as("elements on the device: %d, expected %d", elementsOn(device), expected)
                    .isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        assertThat(elementsOn(device)).isEqualTo(expected);
    }

    /**
     * Elements of the weight tensors alive under {@code device} on its device: a group's views of its block are not
     * counted, nor the host copies that reading a GPU tensor's values leaves under the same manager.
     */
    private static long elementsOn(NDManager device) {
        return device.getManagedArrays().stream()
                .filter(array -> !array.isReleased() && array.getShape().dimension() == 2
                        && array.getDevice().equals(device.getDevice()))
                .mapToLong(array -> array.getShape().size())
                .sum();
    }
}
