package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.TestDevice;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Index arrays sent together come back whole through their slices; a layout makes each of its arrays once. */
class IndexUploadTest {

    @Test
    void eachAddedArrayIsFoundThroughItsSlice() {
        IndexUpload upload = new IndexUpload();
        IndexUpload.Slice first = upload.add(new long[] {4, 5, 6});
        IndexUpload.Slice empty = upload.add(new long[0]);
        IndexUpload.Slice second = upload.add(new long[] {-1, 7});
        try (NDManager manager = TestDevice.newManager()) {
            NDArray sent = upload.send(manager);
            assertThat(sent.getDevice()).isEqualTo(manager.getDevice());
            assertThat(first.of(sent).toLongArray()).containsExactly(4, 5, 6);
            assertThat(empty.of(sent).toLongArray()).isEmpty();
            assertThat(second.of(sent).toLongArray()).containsExactly(-1, 7);
        }
    }

    @Test
    void aLayoutMakesEachNamedArrayOnceAndKeepsItWithItsOwner() {
        record Named(int which) {
        }
        AtomicInteger made = new AtomicInteger();
        try (NDManager owner = TestDevice.newManager()) {
            DeviceLayout layout = new DeviceLayout(StreamLayout.single("a", Modality.AUDIO, 3), owner);
            NDArray once = layout.indices(new Named(1), () -> {
                made.incrementAndGet();
                return new long[] {1, 2};
            });
            NDArray again = layout.indices(new Named(1), () -> {
                made.incrementAndGet();
                return new long[] {9};
            });
            NDArray other = layout.indices(new Named(2), () -> new long[] {3});
            assertThat(again).isSameAs(once);
            assertThat(made).hasValue(1);
            assertThat(once.toLongArray()).containsExactly(1, 2);
            assertThat(other.toLongArray()).containsExactly(3);
            assertThat(once.getManager()).isSameAs(owner);
        }
    }
}
