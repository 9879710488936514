package io.reapomni.scoring.score;

import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.CosineStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.job.Modality;
import io.reapomni.common.safetensors.SafetensorsHeader;
import io.reapomni.common.safetensors.SafetensorsHeaderReader;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The REAP statistics that transformers computed for the fixture (its README: {@code P.layer{i}.saliency_sum},
 * {@code routed_count}, {@code P.mean_token_cosine}), read from {@code reference.safetensors} with ranged reads.
 * Each prefix is one sample; its token count is the length of {@code P.layer0.in}.
 */
final class ReferenceStatistics implements AutoCloseable {
    static final Path FIXTURE = TinyQwen3Omni.folder();
    static final int LAYERS = 6;
    private static final String FILE = "reference.safetensors";

    private final LocalObjectStore store = new LocalObjectStore(FIXTURE);
    private final SafetensorsHeader header;

    ReferenceStatistics() throws IOException {
        header = SafetensorsHeaderReader.read(store, FILE);
    }

    /** The prefix's arrays as float64, whatever their stored float type. */
    double[] array(String name) throws IOException {
        TensorInfo tensor = header.tensors().stream().filter(info -> info.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor " + name + " in " + FILE));
        ByteBuffer bytes;
        try (InputStream in = store.read(FILE, header.dataStart() + tensor.begin(), tensor.byteLength())) {
            bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        }
        double[] values = new double[(int) tensor.elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (tensor.dtype()) {
                case F64 -> bytes.getDouble();
                case F32 -> bytes.getFloat();
                default -> throw new IllegalArgumentException(name + " is " + tensor.dtype());
            };
        }
        return values;
    }

    long tokens(String prefix) {
        return header.tensors().stream().filter(info -> info.name().equals(prefix + ".layer0.in")).findFirst()
                .orElseThrow().shape().get(0);
    }

    /** audio, video and mixed, each as one sample's statistics. */
    CalibrationStats statistics() throws IOException {
        CalibrationStats statistics = CalibrationStats.empty();
        for (Modality modality : Modality.values()) {
            statistics = statistics.plus(CalibrationStats.of(modality, modality(modality.id())));
        }
        return statistics;
    }

    private ModalityStats modality(String prefix) throws IOException {
        long tokens = tokens(prefix);
        List<ExpertLayerStats> experts = new ArrayList<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            double[] counts = array(prefix + ".layer" + layer + ".routed_count");
            long[] routed = new long[counts.length];
            for (int e = 0; e < counts.length; e++) {
                routed[e] = Math.round(counts[e]);
            }
            // the reference has no gate weight sums, and scoring does not read them
            experts.add(new ExpertLayerStats(layer, array(prefix + ".layer" + layer + ".saliency_sum"), routed,
                    new double[routed.length]));
        }
        // entry [l, n-1] is the mean over tokens for offset n; NaN where l + n is past the last layer
        double[] meanCosine = array(prefix + ".mean_token_cosine");
        List<CosineStats> cosine = new ArrayList<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int offset = 1; offset <= 3 && layer + offset <= LAYERS; offset++) {
                double mean = meanCosine[layer * 3 + offset - 1];
                cosine.add(new CosineStats(layer, offset, mean * tokens, tokens));
            }
        }
        return new ModalityStats(1, tokens, List.of(), experts, cosine);
    }

    @Override
    public void close() {
        store.close();
    }
}
