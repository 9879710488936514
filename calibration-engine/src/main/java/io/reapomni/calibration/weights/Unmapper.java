package io.reapomni.calibration.weights;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;

/**
 * Releases a file mapping as soon as its bytes are decoded. Java 17 unmaps a {@link MappedByteBuffer} only when it
 * is garbage collected, which for a 70 GB model read layer by layer would leave tens of GB of mapped pages counted
 * against the process until some collection; {@code sun.misc.Unsafe#invokeCleaner} (module jdk.unsupported) unmaps at
 * once. Where it is unavailable the mapping is left to the collector, which is only slower to give memory back.
 */
final class Unmapper {
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private Unmapper() {
    }

    /** {@code mapped} must be the mapping itself, not a slice, and must not be used afterwards. */
    static void unmap(MappedByteBuffer mapped) {
        if (UNSAFE != null) {
            UNSAFE.invokeCleaner(mapped);
        }
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (sun.misc.Unsafe) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
