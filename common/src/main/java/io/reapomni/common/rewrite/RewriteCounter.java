package io.reapomni.common.rewrite;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Passes a rewrite's events on and keeps the totals for the report. */
final class RewriteCounter implements RewriteListener {
    private final RewriteListener delegate;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong streamed = new AtomicLong();
    private final AtomicLong inPlace = new AtomicLong();
    private final AtomicLong hashed = new AtomicLong();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicInteger filesDone = new AtomicInteger();

    RewriteCounter(RewriteListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void started(int files, long totalBytes) {
        delegate.started(files, totalBytes);
    }

    @Override
    public void streamed(long bytes) {
        streamed.addAndGet(bytes);
        delegate.streamed(bytes);
    }

    @Override
    public void copiedInPlace(long bytes) {
        inPlace.addAndGet(bytes);
        delegate.copiedInPlace(bytes);
    }

    @Override
    public void fileWritten(ManifestEntry file) {
        filesDone.incrementAndGet();
        written.addAndGet(file.size());
        delegate.fileWritten(file);
    }

    @Override
    public void fileKept(ManifestEntry file) {
        filesDone.incrementAndGet();
        kept.addAndGet(file.size());
        delegate.fileKept(file);
    }

    /** Files finished so far, written or kept. */
    int filesDone() {
        return filesDone.get();
    }

    void hashed(long bytes) {
        hashed.addAndGet(bytes);
    }

    TransferStats stats() {
        return new TransferStats(written.get(), streamed.get(), inPlace.get(), hashed.get(), kept.get(),
                (System.nanoTime() - startedNanos) / 1e9);
    }
}
