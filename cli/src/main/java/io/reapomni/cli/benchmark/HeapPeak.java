package io.reapomni.cli.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** The peak Java heap in use since the last reset: the sum of each heap pool's peak, an upper bound (pools peak at different moments). */
public final class HeapPeak {
    private HeapPeak() {
    }

    public static void reset() {
        System.gc(); // start each measurement from live data only, not from the previous phase's garbage
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    public static long bytes() {
        return heapPools().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private static java.util.stream.Stream<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP);
    }
}
