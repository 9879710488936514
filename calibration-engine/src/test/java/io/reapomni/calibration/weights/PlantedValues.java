package io.reapomni.calibration.weights;

import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.safetensors.DType;
import io.reapomni.common.storage.LocalObjectStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bf16 values written over elements of one matrix of a copy of a checkpoint, value i at row i, column i: values
 * beyond float16's range (its largest finite value is 65504), which converting into float16 clamps, and values below
 * its smallest (2^-24), which it flushes to zero; for tests of what that conversion counts.
 *
 * @param tensor the matrix's name
 */
public record PlantedValues(String tensor, float[] beyondRange, float[] belowRange) {
    /** Powers of two, exact in bf16: far beyond 65504, and nearer zero than float16's smallest subnormal. */
    public static final float HUGE = Math.scalb(1f, 17);
    public static final float HUGER = -Math.scalb(1f, 20);
    public static final float HUGEST = Math.scalb(1f, 100);
    public static final float TINY = Math.scalb(1f, -30);
    public static final float TINIER = -Math.scalb(1f, -40);

    /** What converting the planted values into float16 cannot keep: one count per value. */
    public ConversionLoss loss() {
        return new ConversionLoss(beyondRange.length, belowRange.length);
    }

    /** Copies the files of {@code model} (a flat folder) into {@code copy}, then plants {@code planted} there. */
    public static Path copy(Path model, Path copy, List<PlantedValues> planted) throws IOException {
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(model)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        CheckpointWeightSource source = CheckpointWeightSource.open(new LocalObjectStore(copy));
        for (PlantedValues values : planted) {
            values.writeInto(copy, source.locate(values.tensor));
        }
        return copy;
    }

    private void writeInto(Path dir, TensorBytes matrix) throws IOException {
        float[] values = new float[beyondRange.length + belowRange.length];
        System.arraycopy(beyondRange, 0, values, 0, beyondRange.length);
        System.arraycopy(belowRange, 0, values, beyondRange.length, belowRange.length);
        assertThat(matrix.info().dtype()).isEqualTo(DType.BF16);
        List<Long> shape = matrix.info().shape();
        assertThat(shape).hasSize(2).allSatisfy(size -> assertThat(size).isGreaterThanOrEqualTo(values.length));
        long columns = shape.get(1);
        try (FileChannel file = FileChannel.open(dir.resolve(matrix.shard()), StandardOpenOption.WRITE)) {
            for (int i = 0; i < values.length; i++) {
                int bits = Float.floatToRawIntBits(values[i]);
                assertThat(bits & 0xffff).as("%s is exact in bf16", values[i]).isZero();
                ByteBuffer bf16 = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (bits >>> 16));
                long element = i * (columns + 1);
                file.write(bf16.flip(), matrix.offset() + 2 * element);
            }
        }
    }
}
