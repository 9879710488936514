package io.reapomni.calibration.weights;

import io.reapomni.calibration.TinyFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadRowsTest {
    private static final String TABLE = "thinker.model.embed_tokens.weight";

    private CountingStore store;
    private CheckpointWeightSource source;

    @BeforeEach
    void openFixture() throws IOException {
        store = new CountingStore(TinyFixture.modelStore());
        source = CheckpointWeightSource.open(store);
    }

    @Test
    void rowsAreTheWholeMatrixRowsAndEachRunIsOneRead() throws IOException {
        long[] shape = source.shape(TABLE);
        int columns = Math.toIntExact(shape[1]);
        int last = Math.toIntExact(shape[0] - 1);
        int[] rows = {0, 3, 4, 5, last};
        long readsBefore = store.reads();
        long bytesBefore = store.bytes();

        FloatTensor read = source.loadRows(TABLE, rows);

        assertThat(store.reads() - readsBefore).as("runs {0}, {3, 4, 5}, {last}").isEqualTo(3);
        assertThat(store.bytes() - bytesBefore).isEqualTo(rows.length * columns * 2L);
        assertThat(read.shape()).containsExactly(rows.length, columns);
        float[] whole = source.load(TABLE).values();
        for (int i = 0; i < rows.length; i++) {
            float[] expected = Arrays.copyOfRange(whole, rows[i] * columns, (rows[i] + 1) * columns);
            float[] actual = Arrays.copyOfRange(read.values(), i * columns, (i + 1) * columns);
            // Float.equals compares bits: the rows must be identical, not close
            assertThat(actual).as("row %d", rows[i]).containsExactly(expected);
        }
    }

    @Test
    void noRowsReadsNothing() throws IOException {
        source.shape(TABLE);
        long readsBefore = store.reads();

        FloatTensor read = source.loadRows(TABLE, new int[0]);

        assertThat(read.shape()).containsExactly(0, source.shape(TABLE)[1]);
        assertThat(store.reads()).isEqualTo(readsBefore);
    }

    @Test
    void rowsMustBeAscendingDistinctAndWithinTheMatrix() throws IOException {
        int rowCount = Math.toIntExact(source.shape(TABLE)[0]);

        assertThatThrownBy(() -> source.loadRows(TABLE, new int[] {4, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly ascending");
        assertThatThrownBy(() -> source.loadRows(TABLE, new int[] {3, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly ascending");
        assertThatThrownBy(() -> source.loadRows(TABLE, new int[] {rowCount}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the " + rowCount);
        assertThatThrownBy(() -> source.loadRows(TABLE, new int[] {-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
    }

    @Test
    void onlyMatricesHaveRows() {
        assertThatThrownBy(() -> source.loadRows("thinker.model.norm.weight", new int[] {0}))
                .isInstanceOf(IOException.class).hasMessageContaining("not [rows, columns]");
        assertThatThrownBy(() -> source.loadRows("no.such.weight", new int[] {0}))
                .isInstanceOf(WeightNotFoundException.class);
    }
}
