package io.reapomni.common.safetensors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that tensors tile the data section exactly, as the safetensors library requires: sorted by offsets they
 * start at 0, each begins where the previous one ends, and the last one ends where the file does. Gaps would hide
 * bytes that no tensor accounts for; overlaps would let two tensors alias the same bytes.
 */
final class DataSectionLayout {

    // Sorting by end after begin places a zero-length tensor before a tensor that starts at the same offset,
    // as the safetensors library does; the sort is stable, so equal entries keep their JSON order.
    private static final Comparator<TensorInfo> DATA_ORDER =
            Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end);

    private DataSectionLayout() {
    }

    /** The tensors in data order, after checking that they cover exactly {@code dataLength} bytes. */
    static List<TensorInfo> inDataOrder(String fileName, List<TensorInfo> tensors, long dataLength)
            throws SafetensorsFormatException {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(DATA_ORDER);
        TensorInfo previous = null;
        long covered = 0;
        for (TensorInfo tensor : sorted) {
            if (tensor.begin() != covered) {
                throw SafetensorsFormatException.inFile(fileName, tilingProblem(previous, tensor));
            }
            covered = tensor.end();
            previous = tensor;
        }
        if (covered != dataLength) {
            throw SafetensorsFormatException.inFile(fileName, lengthProblem(covered, dataLength));
        }
        return sorted;
    }

    private static String tilingProblem(TensorInfo previous, TensorInfo tensor) {
        if (previous == null) {
            return "the first tensor " + describe(tensor) + " does not begin at offset 0 of the data section";
        }
        if (tensor.begin() < previous.end()) {
            return "tensor " + describe(tensor) + " overlaps tensor " + describe(previous);
        }
        return "gap of " + (tensor.begin() - previous.end()) + " bytes between tensor " + describe(previous)
                + " and tensor " + describe(tensor);
    }

    private static String lengthProblem(long covered, long dataLength) {
        if (covered > dataLength) {
            return "file is truncated: its tensors need " + covered + " bytes of data but only " + dataLength
                    + " bytes follow the header";
        }
        return "file has " + (dataLength - covered) + " trailing bytes after its tensors' " + covered
                + " bytes of data";
    }

    private static String describe(TensorInfo tensor) {
        return "\"" + tensor.name() + "\" [" + tensor.begin() + ", " + tensor.end() + ")";
    }
}
