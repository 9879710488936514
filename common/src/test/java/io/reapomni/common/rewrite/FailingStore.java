package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.ForwardingStore;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source store whose {@code failingRead}-th ranged read fails, as a network or disk would halfway through a job.
 * Being another kind of store, its ranges are streamed through the process rather than copied in place.
 */
final class FailingStore extends ForwardingStore {
    static final String FAILURE = "injected read failure";

    private final int failingRead;
    private final AtomicInteger reads = new AtomicInteger();

    FailingStore(ObjectStore delegate, int failingRead) {
        super(delegate);
        this.failingRead = failingRead;
    }

    int reads() {
        return reads.get();
    }

    /**
     * A store over {@code model} whose read halfway through the rewrite of {@code plan} fails (the reads are counted
     * on a scratch run into {@code scratch}), so that files are finished before the failure and after it.
     */
    static FailingStore failingHalfway(ObjectStore model, Checkpoint checkpoint, PruningPlan plan, Path scratch)
            throws Exception {
        FailingStore counting = new FailingStore(model, Integer.MAX_VALUE);
        TestModels.rewrite(counting, checkpoint, plan, new StoreLocation.Local(scratch), TestModels::noS3, "count");
        assertThat(counting.reads()).as("ranged reads of a complete rewrite").isGreaterThan(10);
        return new FailingStore(model, counting.reads() / 2);
    }

    @Override
    public InputStream read(String key, long offset, long length) throws IOException {
        if (reads.incrementAndGet() == failingRead) {
            throw new IOException(FAILURE + " (read " + failingRead + ", of " + key + ")");
        }
        return super.read(key, offset, length);
    }

    @Override
    public void write(String key, List<Segment> segments, CopyListener listener) {
        throw new UnsupportedOperationException("a source is only read");
    }

    @Override
    public void delete(String key) {
        throw new UnsupportedOperationException("a source is only read");
    }
}
