package io.reapomni.calibrationservice;

import io.reapomni.calibration.CalibrationListener;
import io.reapomni.calibration.data.MediaLimits;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.MalformedEventException;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.Interruptions;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import io.reapomni.service.JobRejectedException;
import io.reapomni.service.JobStores;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static io.reapomni.calibration.StatisticsAssert.assertSameStatistics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The task runner on the fixture model, with calibration data in a real S3 endpoint. */
class CalibrationTaskRunnerTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final StoreLocation MODEL = StoreLocation.parse(TinyQwen3Omni.model().toString());
    private static String dataFile;

    private final List<StoreLocation> opened = new ArrayList<>();
    private final ModelCache models = new ModelCache(this::open, 1, MediaLimits.DEFAULTS);
    private final CalibrationTaskRunner runner = new CalibrationTaskRunner(models,
            new JobStores(new StoreAccess(S3::settings, LocalRoots.none()), "the calibration service"),
            ComputeOptions.cpuFloat32(), 4);

    @BeforeAll
    static void uploadData() throws IOException {
        String folder = "s3://" + S3.bucket() + "/calib";
        try (ObjectStore store = ObjectStores.open(StoreLocation.parse(folder), S3::settings)) {
            FixtureCalibrationData.write(store);
        }
        dataFile = folder + "/" + FixtureCalibrationData.FILE;
    }

    @AfterEach
    void closeModels() {
        models.close();
    }

    @Test
    void twoTasksMergedGiveTheStatisticsOfOneTaskOverBothRanges() throws Exception {
        CalibrationStats first = statsOf(runner.run(task("job:audio:0", 0, 2), CalibrationListener.NONE));
        CalibrationStats second = statsOf(runner.run(task("job:audio:1", 2, 2), CalibrationListener.NONE));
        CalibrationStats whole = statsOf(runner.run(task("whole", 0, 4), CalibrationListener.NONE));

        assertSameStatistics(first.plus(second), whole, 1e-6);
        ModalityStats audio = whole.modalities().get("audio");
        assertThat(audio.samples()).isEqualTo(3);
        assertThat(audio.skipped()).containsExactly(new SkippedSample("empty", "audio.jsonl line 4: empty text"));
        assertThat(first.modalities().get("audio").samples()).isEqualTo(2);
        assertThat(second.modalities().get("audio").samples()).isEqualTo(1);
    }

    @Test
    void theStatisticsEventNamesItsTaskAndTheProgressItsSamples() throws Exception {
        TaskResult result = runner.run(task("job:audio:0", 0, 2), CalibrationListener.NONE);

        assertThat(result.stats().jobId()).isEqualTo("job");
        assertThat(result.stats().taskId()).isEqualTo("job:audio:0");
        assertThat(result.stats().tasks()).isEqualTo(2);
        assertThat(result.progress().phase()).isEqualTo(JobPhase.CALIBRATION);
        assertThat(result.progress().done()).isEqualTo(2);
        assertThat(result.progress().detail()).contains("job:audio:0", "2 used", "0 skipped", "6 layer loads");
    }

    @Test
    void aTaskWithSeveralSharesRunsThemAsOneUnit() throws Exception {
        CalibrationTask task = new CalibrationTask("job", JobEvent.SCHEMA_VERSION, Instant.now(), "job:task:0", 1,
                MODEL, List.of(new CalibrationTask.Slice(Modality.AUDIO, dataFile, 0, 2),
                new CalibrationTask.Slice(Modality.AUDIO, dataFile, 2, 2)));

        TaskResult result = runner.run(task, CalibrationListener.NONE);

        CalibrationStats stats = statsOf(result);
        assertThat(stats.modalities().get("audio").samples()).isEqualTo(3);
        assertSameStatistics(stats, statsOf(runner.run(task("whole", 0, 4), CalibrationListener.NONE)), 1e-6);
        assertThat(result.progress().detail()).contains("one pass (6 layer loads)", "audio samples 0..1 of",
                "audio samples 2..3 of", "audio: 3 used");
    }

    @Test
    void aTaskWithoutAUsableSampleStillReportsItsSkippedSamples() throws Exception {
        ModalityStats audio = statsOf(runner.run(task("job:audio:1", 2, 1), CalibrationListener.NONE)).modalities()
                .get("audio");

        assertThat(audio.samples()).isZero();
        assertThat(audio.experts()).isEmpty();
        assertThat(audio.skipped()).extracting(SkippedSample::id).containsExactly("empty");
    }

    @Test
    void tasksOnOneModelOpenItOnce() throws Exception {
        runner.run(task("job:audio:0", 0, 1), CalibrationListener.NONE);
        runner.run(task("job:audio:1", 1, 1), CalibrationListener.NONE);

        assertThat(opened).filteredOn(location -> location.equals(MODEL)).hasSize(1);
    }

    @Test
    void aModelThatCannotBeCalibratedRejectsTheTask(@TempDir Path empty) {
        CalibrationTask task = new CalibrationTask("job", JobEvent.SCHEMA_VERSION, Instant.now(), "job:audio:0", 1,
                StoreLocation.parse(empty.toString()),
                List.of(new CalibrationTask.Slice(Modality.AUDIO, dataFile, 0, 1)));

        assertThatThrownBy(() -> runner.run(task, CalibrationListener.NONE))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("the model at " + empty);
    }

    @Test
    void aDataFileThatIsGoneRejectsTheTask() {
        CalibrationTask task = new CalibrationTask("job", JobEvent.SCHEMA_VERSION, Instant.now(), "job:audio:0", 1,
                MODEL, List.of(new CalibrationTask.Slice(Modality.AUDIO, "s3://" + S3.bucket() + "/calib/gone.jsonl",
                0, 1)));

        assertThatThrownBy(() -> runner.run(task, CalibrationListener.NONE))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("job:audio:0", "gone.jsonl");
    }

    @Test
    void aTaskOfMoreSamplesThanAWorkerTakesIsRejectedBeforeAnythingIsRead() {
        assertThatThrownBy(() -> runner.run(task("job:audio:0", 0, 5), CalibrationListener.NONE))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageStartingWith("calibration task job:audio:0 asks for 5 samples, more than the 4 a worker"
                        + " takes in one task");
        assertThat(opened).isEmpty();
    }

    @Test
    void aRunningTaskReportsItsLayersAndStopsBetweenThemOnceItsThreadIsInterrupted() throws Exception {
        List<JobEvent> published = new ArrayList<>();
        CalibrationTask task = task("job:audio:0", 0, 1);
        runner.run(task, new TaskProgress(task, published::add, new ProgressThrottle(Clock.systemUTC(),
                Duration.ZERO)));

        assertThat(published).hasSize(6).allSatisfy(event -> assertThat(event).isInstanceOfSatisfying(
                JobProgress.class, progress -> assertThat(progress.unit()).isEqualTo("layers")));
        assertThat(((JobProgress) published.get(5)).detail()).startsWith("calibration task job:audio:0 of 2: layer 6"
                + " of 6 done");

        published.clear();
        TaskProgress progress = new TaskProgress(task, published::add, new ProgressThrottle(Clock.systemUTC(),
                Duration.ZERO));
        // The deadline's interrupt, as it arrives while the first layer computes.
        CalibrationListener interruptedInLayerOne = (layersDone, totalLayers, tokens) -> {
            progress.layerDone(layersDone, totalLayers, tokens);
            if (layersDone == 1) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            // Stopped at the next layer: by the progress, or before it by the interrupted wait for, or read of, its
            // weights (whichever the interrupt meets first).
            assertThatThrownBy(() -> runner.run(task, interruptedInLayerOne)).satisfies(stopped -> assertThat(
                    stopped instanceof CancellationException || Interruptions.causedBy(stopped))
                    .as("stopped by the interrupt: %s", stopped).isTrue());
        } finally {
            Thread.interrupted();
        }
        assertThat(published).hasSize(1);
        assertThat(statsOf(runner.run(task, CalibrationListener.NONE)).modalities().get("audio").samples())
                .as("the next task opens the model afresh").isEqualTo(1);
    }

    private ObjectStore open(StoreLocation location) {
        opened.add(location);
        return ObjectStores.open(location, S3::settings);
    }

    private static CalibrationTask task(String taskId, int first, int count) {
        return new CalibrationTask("job", JobEvent.SCHEMA_VERSION, Instant.now(), taskId, 2, MODEL,
                List.of(new CalibrationTask.Slice(Modality.AUDIO, dataFile, first, count)));
    }

    /** The statistics as scoring reads them: through the event's JSON form. */
    private static CalibrationStats statsOf(TaskResult result) throws MalformedEventException {
        return EventCodec.decode(EventCodec.encode(result.stats()), CalibrationStatsReported.class).stats();
    }
}
