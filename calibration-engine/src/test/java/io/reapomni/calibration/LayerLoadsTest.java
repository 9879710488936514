package io.reapomni.calibration;

import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.calibration.weights.CountingStore;
import io.reapomni.calibration.weights.TensorBytes;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** However many samples a run has, it reads every decoder layer's weights once. */
class LayerLoadsTest {
    private static final Pattern LAYER_TENSOR = Pattern.compile("thinker\\.model\\.layers\\.\\d+\\..*");

    @Test
    void aHundredSamplesReadEachLayerOnce(@TempDir Path dir) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        List<String> lines = new ArrayList<>();
        for (int sample = 0; sample < 100; sample++) {
            lines.add("{\"id\": \"s" + sample + "\", \"input_ids\": "
                    + Arrays.toString(random.ints(8 + random.nextInt(24), 0, 1000).toArray()) + "}");
        }
        Path jsonl = Files.write(dir.resolve("audio.jsonl"), lines);
        CountingStore store = new CountingStore(TinyFixture.modelStore());

        ModalityStats stats;
        try (Calibration calibration = Calibration.open(store)) {
            stats = calibration.run(new CalibrationRun(Map.of(Modality.AUDIO, jsonl), 100,
                    TestDevice.float32()), CalibrationListener.NONE).statistics().modalities().get("audio");
        }

        assertThat(stats.samples()).isEqualTo(100);
        CheckpointWeightSource index = CheckpointWeightSource.open(TinyFixture.modelStore());
        List<String> layerTensors = TinyFixture.load().weights.names().stream()
                .filter(name -> LAYER_TENSOR.matcher(name).matches()).toList();
        assertThat(layerTensors).hasSizeGreaterThan(6 * 30);
        for (String name : layerTensors) {
            TensorBytes tensor = index.locate(name);
            long reads = store.ranges().stream().filter(range -> range.covers(tensor.shard(), tensor.offset(),
                    tensor.offset() + tensor.info().byteLength())).count();
            assertThat(reads).as("ranged reads holding %s", name).isEqualTo(1);
        }
    }
}
