package io.reapomni.strip;

import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.service.JobRejectedException;
import io.reapomni.service.JobStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class CalibrationFanOutTest {

    private static final StoreLocation MODEL = StoreLocation.parse("s3://models/tiny");

    @TempDir
    Path dir;

    private final CalibrationFanOut fanOut = fanOut(2, 1024);

    @Test
    void aJobGetsOneTaskPerWorkerEachWithAConsecutiveShareOfTheSamples() throws Exception {
        Path audio = jsonl("audio.jsonl", 100);
        Path mixed = jsonl("mixed.jsonl", 3);

        List<CalibrationTask> tasks = fanOut.tasks("job-7", MODEL, TestJobs.halfTheExperts(
                Map.of(Modality.MIXED, mixed.toString(), Modality.AUDIO, audio.toString()), 128));

        assertThat(tasks).extracting(CalibrationTask::taskId).containsExactly("job-7:task:0", "job-7:task:1");
        assertThat(tasks).allSatisfy(task -> {
            assertThat(task.jobId()).isEqualTo("job-7");
            assertThat(task.tasks()).isEqualTo(2);
            assertThat(task.modelPath()).isEqualTo(MODEL);
        });
        // 103 samples, audio first: 52 and 51
        assertThat(tasks.get(0).slices())
                .extracting(CalibrationTask.Slice::modality, CalibrationTask.Slice::firstSample,
                        CalibrationTask.Slice::sampleCount)
                .containsExactly(tuple(Modality.AUDIO, 0, 52));
        assertThat(tasks.get(1).slices())
                .extracting(CalibrationTask.Slice::modality, CalibrationTask.Slice::firstSample,
                        CalibrationTask.Slice::sampleCount)
                .containsExactly(tuple(Modality.AUDIO, 52, 48), tuple(Modality.MIXED, 0, 3));
        assertThat(samplesOf(tasks, Modality.AUDIO)).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
        assertThat(samplesOf(tasks, Modality.MIXED)).containsExactly(0, 1, 2);
        assertThat(tasks).flatMap(CalibrationTask::slices).filteredOn(slice -> slice.modality() == Modality.AUDIO)
                .extracting(CalibrationTask.Slice::dataFile).containsOnly(audio.toString());
    }

    @Test
    void oneWorkerGetsTheWholeJobAsOneTask() throws Exception {
        Path audio = jsonl("audio.jsonl", 100);

        List<CalibrationTask> tasks = fanOut(1, 1024).tasks("job-7", MODEL,
                TestJobs.halfTheExperts(audio.toString(), 128));

        assertThat(tasks).singleElement().satisfies(task -> assertThat(task.slices())
                .extracting(CalibrationTask.Slice::firstSample, CalibrationTask.Slice::sampleCount)
                .containsExactly(tuple(0, 100)));
    }

    @Test
    void aJobLargerThanTheTaskLimitGetsMoreTasksThanWorkersAndNoTaskOverTheLimit() throws Exception {
        Path audio = jsonl("audio.jsonl", 100);

        List<CalibrationTask> tasks = fanOut(2, 30).tasks("job-7", MODEL,
                TestJobs.halfTheExperts(audio.toString(), 128));

        assertThat(tasks).hasSize(4).extracting(CalibrationTask::sampleCount).containsExactly(25, 25, 25, 25);
    }

    @Test
    void theTaskLimitCountsTheSamplesOfEveryDataFileOfATask() throws Exception {
        Path audio = jsonl("audio.jsonl", 2);
        Path video = jsonl("video.jsonl", 2);
        Path mixed = jsonl("mixed.jsonl", 2);

        List<CalibrationTask> tasks = fanOut(1, 1).tasks("job-7", MODEL, TestJobs.halfTheExperts(Map.of(
                Modality.AUDIO, audio.toString(), Modality.VIDEO, video.toString(), Modality.MIXED, mixed.toString()),
                128));

        assertThat(tasks).hasSize(6).extracting(CalibrationTask::sampleCount).containsOnly(1);
    }

    @Test
    void fewerSamplesThanWorkersMakeOneTaskPerSample() throws Exception {
        Path audio = jsonl("audio.jsonl", 2);

        List<CalibrationTask> tasks = fanOut(4, 1024).tasks("job-7", MODEL,
                TestJobs.halfTheExperts(audio.toString(), 128));

        assertThat(tasks).hasSize(2).extracting(CalibrationTask::tasks).containsOnly(2);
    }

    @Test
    void samplesBeyondTheLimitPerModalityGetNoTask() throws Exception {
        Path audio = jsonl("audio.jsonl", 10);

        List<CalibrationTask> tasks = fanOut.tasks("job-7", MODEL,
                TestJobs.halfTheExperts(audio.toString(), 6));

        assertThat(tasks).flatMap(CalibrationTask::slices)
                .extracting(CalibrationTask.Slice::firstSample, CalibrationTask.Slice::sampleCount)
                .containsExactly(tuple(0, 3), tuple(3, 3));
        assertThat(tasks).extracting(CalibrationTask::tasks).containsOnly(2);
    }

    @Test
    void blankLinesAreNoSamplesButBadLinesAre() throws Exception {
        Path audio = Files.write(dir.resolve("audio.jsonl"), List.of("{\"id\": \"a\", \"text\": \"x\"}", "", "  ",
                "not JSON", "{\"id\": \"b\", \"text\": \"y\"}"));

        List<CalibrationTask> tasks = fanOut.tasks("job-7", MODEL,
                TestJobs.halfTheExperts(audio.toString(), 128));

        assertThat(tasks).extracting(CalibrationTask::sampleCount).containsExactly(2, 1);
    }

    @Test
    void aMissingDataFileIsRejectedNamingIt() {
        String missing = dir.resolve("absent.jsonl").toString();

        assertThatThrownBy(() -> fanOut.tasks("job-7", MODEL, TestJobs.halfTheExperts(missing, 128)))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("audio calibration data " + missing + " could not be read");
    }

    @Test
    void aDataFileWithoutSamplesIsRejected() throws IOException {
        Path empty = Files.write(dir.resolve("audio.jsonl"), List.of("", " "));

        assertThatThrownBy(() -> fanOut.tasks("job-7", MODEL, TestJobs.halfTheExperts(empty.toString(), 128)))
                .isInstanceOf(JobRejectedException.class).hasMessageContaining("holds no sample");
    }

    @Test
    void s3DataWithoutS3SettingsIsRejectedNamingTheVariable() {
        assertThatThrownBy(() -> fanOut.tasks("job-7", MODEL,
                TestJobs.halfTheExperts("s3://data/audio.jsonl", 128)))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("s3://data/audio.jsonl", S3Settings.ENDPOINT_VARIABLE);
    }

    private Path jsonl(String name, int samples) throws IOException {
        List<String> lines = IntStream.range(0, samples)
                .mapToObj(i -> "{\"id\": \"" + name + "-" + i + "\", \"text\": \"sample " + i + "\"}").toList();
        return Files.write(dir.resolve(name), lines);
    }

    private static List<Integer> samplesOf(List<CalibrationTask> tasks, Modality modality) {
        List<Integer> samples = new ArrayList<>();
        tasks.stream().flatMap(task -> task.slices().stream()).filter(slice -> slice.modality() == modality)
                .forEach(slice -> IntStream.range(slice.firstSample(), slice.firstSample() + slice.sampleCount())
                        .forEach(samples::add));
        return samples;
    }

    private static CalibrationFanOut fanOut(int workers, int maxTaskSamples) {
        return new CalibrationFanOut(new JobStores(new StoreAccess(() -> {
            throw new IllegalStateException(S3Settings.ENDPOINT_VARIABLE + " is not set");
        }, new LocalRoots(List.of(Path.of("/")))), "the strip service"), workers, maxTaskSamples);
    }
}
