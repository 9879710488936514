package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Index arrays sent to the device in one transfer. DJL sends host values to a GPU synchronously, each transfer waiting
 * for all the work queued before it; so the indices that a stretch of work needs are gathered first and sent once,
 * where the device has nothing queued anyway, rather than one by one between the operations that use them.
 */
final class IndexUpload {
    private final List<long[]> parts = new ArrayList<>();
    private int length;

    /** Adds {@code values} to the transfer; the returned slice finds them in what {@link #send} returns. */
    Slice add(long[] values) {
        Slice slice = new Slice(length, values.length);
        parts.add(values);
        length = Math.addExact(length, values.length);
        return slice;
    }

    /** Everything added, laid end to end in one array on {@code manager}'s device. */
    NDArray send(NDManager manager) {
        long[] all = new long[length];
        int offset = 0;
        for (long[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return OwnedArrays.longs(manager, all);
    }

    /** Where one added array lies in the sent one. */
    record Slice(int offset, int length) {
        /** A view of the added values in {@code sent}, the array {@link #send} returned. */
        NDArray of(NDArray sent) {
            return sent.get(new NDIndex().addSliceDim(offset, offset + length));
        }
    }
}
