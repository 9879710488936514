package io.reapomni.cli.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak memory in use on GPU 0 while it runs, as nvidia-smi reports it (sampled every 200 ms; the CUDA context and
 * PyTorch's cache included, and anything else on the card): DJL exposes no allocator statistics. Empty where
 * nvidia-smi is not installed.
 */
public final class GpuMemoryPeak implements AutoCloseable {
    private static final long PERIOD_MILLIS = 200;

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gpu-memory-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong peakBytes = new AtomicLong(-1);

    public GpuMemoryPeak() {
        sampler.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    public OptionalLong bytes() {
        sample();
        long peak = peakBytes.get();
        return peak < 0 ? OptionalLong.empty() : OptionalLong.of(peak);
    }

    private void sample() {
        usedBytes().ifPresent(used -> peakBytes.accumulateAndGet(used, Math::max));
    }

    private static OptionalLong usedBytes() {
        try {
            Process process = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits",
                    "-i", "0").redirectErrorStream(true).start();
            String line;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                line = reader.readLine();
            }
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0 || line == null) {
                process.destroyForcibly();
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(line.trim()) << 20);
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
