package io.reapomni.calibration.model;

import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.stats.CalibrationObserver;
import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.calibration.weights.CountingStore;
import io.reapomni.calibration.weights.FloatTensor;
import io.reapomni.calibration.weights.TensorBytes;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedding reads the rows of the samples' ids and nothing else of the table, and they are the table's rows. */
class TokenEmbeddingTest {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEmbeddingTest.class);

    private static final String TABLE = "thinker.model.embed_tokens.weight";

    private static TinyFixture fixture;
    private static StackConfig stack;
    private static List<int[]> samples;

    @BeforeAll
    static void loadFixture() throws IOException {
        fixture = TinyFixture.load();
        stack = fixture.config.stack(MoeStack.THINKER);
        List<int[]> ids = new ArrayList<>();
        for (String prefix : List.of("text", "audio", "video", "mixed")) {
            ids.add(fixture.tokenIds(prefix));
        }
        samples = List.copyOf(ids);
    }

    @Test
    void readsOnlyTheRowsOfTheSamplesIdsAndTheyAreTheTablesRows() throws IOException {
        CountingStore store = new CountingStore(TinyFixture.modelStore());
        ThinkerLoader loader = new ThinkerLoader(new WeightStager(CheckpointWeightSource.open(store), 1), stack,
                ComputePrecision.FLOAT32);
        TokenEmbedding embedding = loader.embedding();
        long bytesBefore = store.bytes();

        EmbeddingRows rows = embedding.rowsFor(samples);

        long distinct = samples.stream().flatMapToInt(IntStream::of).distinct().count();
        long rowBytes = stack.hiddenSize() * 2L;
        long tableBytes = stack.vocabSize() * rowBytes;
        long read = store.bytes() - bytesBefore;
        LOG.debug(String.format(Locale.ROOT,
                "embedding: %d distinct ids, %d bytes read, whole table %d bytes", distinct, read,
                tableBytes));
        assertThat(read).isEqualTo(distinct * rowBytes).isLessThan(tableBytes / 4);
        FloatTensor table = fixture.weights.load(TABLE);
        try (NDManager manager = TestDevice.newManager()) {
            for (int[] ids : samples) {
                float[] embedded = rows.embed(manager, ids).toFloatArray();
                // Float.equals compares bits: the rows must be identical, not close
                assertThat(embedded).containsExactly(tableRows(table, ids));
            }
        }
    }

    @Test
    void anIdOutsideTheVocabularyFailsOnlyTheLookupOfItsSample() throws IOException {
        TokenEmbedding embedding = new ThinkerLoader(fixture.stager, stack, ComputePrecision.FLOAT32).embedding();
        int[] text = fixture.tokenIds("text");
        int[] outside = {text[0], stack.vocabSize()};

        EmbeddingRows rows = embedding.rowsFor(List.of(text, outside));

        try (NDManager manager = TestDevice.newManager()) {
            assertThat(rows.embed(manager, text).getShape().get(0)).isEqualTo(text.length);
            assertThatThrownBy(() -> rows.embed(manager, outside))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the vocabulary of " + stack.vocabSize());
            int unread = IntStream.range(0, stack.vocabSize())
                    .filter(id -> IntStream.of(text).noneMatch(t -> t == id))
                    .findFirst().orElseThrow();
            assertThatThrownBy(() -> rows.embed(manager, new int[] {unread}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not among the ids whose rows were read");
        }
    }

    @Test
    void theRunnerReadsEmbeddingRowsOnlyAndNeverTheHead() throws IOException {
        CountingStore store = new CountingStore(TinyFixture.modelStore());
        CheckpointWeightSource source = CheckpointWeightSource.open(store);
        List<ThinkerInput> inputs = List.of(
                new ThinkerInput("t", Modality.AUDIO, fixture.tokenIds("text"), Optional.empty(), Optional.empty()),
                new ThinkerInput("a", Modality.AUDIO, fixture.tokenIds("audio"), Optional.of(fixture.audioFeatures()),
                        Optional.empty()));

        try (WeightStager stager = new WeightStager(source, 2);
             CalibrationObserver observer = new CalibrationObserver(TestDevice.device().toDjl())) {
            new LayerByLayerRunner(stager, fixture.config, TestDevice.float32()).run(inputs, observer,
                    ProgressListener.NONE);
        }

        long distinct = inputs.stream().flatMapToInt(input -> IntStream.of(input.tokenIds())).distinct().count();
        assertThat(bytesReadOf(store, source.locate(TABLE))).isEqualTo(distinct * stack.hiddenSize() * 2L);
        assertThat(bytesReadOf(store, source.locate("thinker.lm_head.weight"))).isZero();
    }

    /** How many of a tensor's bytes the store's ranged reads asked for. */
    private static long bytesReadOf(CountingStore store, TensorBytes tensor) {
        long start = tensor.offset();
        long end = start + tensor.info().byteLength();
        return store.ranges().stream()
                .filter(range -> range.key().equals(tensor.shard()))
                .mapToLong(range -> Math.max(0, Math.min(end, range.offset() + range.length())
                        - Math.max(start, range.offset())))
                .sum();
    }

    private static float[] tableRows(FloatTensor table, int[] ids) {
        int hidden = Math.toIntExact(table.dim(1));
        float[] rows = new float[ids.length * hidden];
        for (int position = 0; position < ids.length; position++) {
            System.arraycopy(table.values(), ids[position] * hidden, rows, position * hidden, hidden);
        }
        return rows;
    }
}
