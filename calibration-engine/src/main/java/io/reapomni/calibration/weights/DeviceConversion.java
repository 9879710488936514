package io.reapomni.calibration.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.reapomni.calibration.torch.TorchScriptKernels;

import java.util.List;

/**
 * bfloat16 weights turned into float16 where they will be used, on the compute device: the host only copies their
 * bytes into a float16 block, and the device reinterprets and converts them in place, so that the host's processors
 * stay free to issue the layers' work. The conversion is the host decoder's ({@link WeightDecoder}): rounded to
 * nearest even (PyTorch's float16 rounding, which overflows where {@link HalfPrecision}'s does), finite values beyond
 * float16's range clamped to {@link HalfPrecision#FLOAT16_MAX} and counted, non-zero values that become zero counted;
 * infinities and NaN stay what they are. On a GPU it runs on a CUDA stream of its own: the layer computing meanwhile
 * shares the device with it but does not queue behind it, and only the thread that places the weights waits for it.
 */
final class DeviceConversion {
    /** Elements converted at once: the float32 working copy of a piece stays at 64 MiB. */
    private static final long PIECE = 1L << 24;

    private DeviceConversion() {
    }

    /** Elements {@code [start, start + length)} of a block. */
    record ElementRange(long start, long length) {
        ElementRange {
            if (start < 0 || length < 1) {
                throw new IllegalArgumentException("not a range of elements: " + start + " + " + length);
            }
        }

        long end() {
            return start + length;
        }
    }

    /**
     * Converts in place the {@code ranges} of {@code block} (float16, one dimension), which hold bfloat16 bit
     * patterns and must be complete on the device; returns once the conversion is done.
     *
     * @return what the conversion lost
     */
    static ConversionLoss bfloat16BitsToFloat16(NDArray block, List<ElementRange> ranges) {
        return bfloat16BitsToFloat16(block, ranges, PIECE);
    }

    /** As {@link #bfloat16BitsToFloat16(NDArray, List)}, {@code piece} elements at a time. */
    static ConversionLoss bfloat16BitsToFloat16(NDArray block, List<ElementRange> ranges, long piece) {
        if (block.getDataType() != DataType.FLOAT16 || block.getShape().dimension() != 1) {
            throw new IllegalArgumentException("bfloat16 bits are converted in a one-dimensional float16 block, not "
                    + block.getDataType() + " " + block.getShape());
        }
        long size = block.size();
        ranges.stream().filter(range -> range.end() > size).findFirst().ifPresent(range -> {
            throw new IllegalArgumentException("elements [" + range.start() + ", " + range.end()
                    + ") are beyond a block of " + size);
        });
        try (IValue array = IValue.from((PtNDArray) block);
             IValue starts = IValue.listFrom(ranges.stream().mapToLong(ElementRange::start).toArray());
             IValue lengths = IValue.listFrom(ranges.stream().mapToLong(ElementRange::length).toArray());
             IValue pieceElements = IValue.from(piece);
             IValue largest = IValue.from((double) HalfPrecision.FLOAT16_MAX);
             IValue result = TorchScriptKernels.get().runOnStreamOfItsOwn("bfloat16_bits_to_float16", array, starts,
                     lengths, pieceElements, largest);
             NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            long[] counts = result.toTensor((PtNDManager) scratch).toLongArray();
            return new ConversionLoss(counts[0], counts[1]);
        }
    }
}
