package io.reapomni.shardwriter;

import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.rewrite.ManifestEntry;
import io.reapomni.service.ProgressThrottle;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follower hears from the writer at the start and while a large file is being written, not only when a file is
 * done: the start at once, then bytes as they move, at most once per interval.
 */
class WritingProgressTest {
    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private final SteppedClock clock = new SteppedClock();
    private final List<JobEvent> published = new ArrayList<>();
    private final WritingProgress progress = new WritingProgress("job", published::add,
            new ProgressThrottle(clock, INTERVAL));

    @Test
    void theStartIsSaidAtOnceAndBytesAreReportedWhileAFileIsStillBeingWritten() {
        progress.started(2, 1000);
        progress.streamed(100);
        progress.streamed(100);
        clock.advance(INTERVAL);
        progress.copiedInPlace(500);
        progress.fileWritten(new ManifestEntry("model-00001.safetensors", 900, "ab"));
        progress.fileWritten(new ManifestEntry("config.json", 100, "cd"));

        assertThat(published).allSatisfy(event -> assertThat(event).isInstanceOfSatisfying(JobProgress.class,
                report -> assertThat(report.phase()).isEqualTo(JobPhase.WRITING)));
        assertThat(published).map(event -> ((JobProgress) event).done()).as("bytes done at each report")
                .containsExactly(0L, 100L, 700L, 1000L);
        assertThat(published).map(event -> ((JobProgress) event).detail()).containsExactly(
                "0 of 2 files; writing begins",
                "0 of 2 files; the next one under way",
                "0 of 2 files; the next one under way",
                "2 of 2 files; config.json written");
    }

    @Test
    void bytesOfAFileAreNotCountedTwiceOnceItIsDone() {
        progress.started(2, 1000);
        progress.streamed(900);
        progress.fileWritten(new ManifestEntry("model-00001.safetensors", 900, "ab"));
        clock.advance(INTERVAL);
        progress.streamed(40);

        assertThat(((JobProgress) published.get(published.size() - 1)).done()).isEqualTo(940);
    }

    /** A clock that moves only when told. */
    private static final class SteppedClock extends Clock {
        private Instant now = Instant.EPOCH;

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
