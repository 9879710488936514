package io.reapomni.strip;

import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.EvaluationSettings;
import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.service.JobRejectedException;
import io.reapomni.service.JobStores;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripPlannerTest {

    static final Path FIXTURE = TinyQwen3Omni.model();
    private static final StoreLocation MODEL = StoreLocation.parse(FIXTURE.toString());

    @TempDir
    Path temp;

    /** The fixture and the temporary folders (where each test's own folders are), without S3. */
    private static final JobStores LOCAL_ONLY = new JobStores(new StoreAccess(() -> {
        throw new IllegalStateException(S3Settings.ENDPOINT_VARIABLE + " is not set");
    }, new LocalRoots(List.of(FIXTURE, Path.of(System.getProperty("java.io.tmpdir"))))), "the strip service");

    private final StripPlanner planner = new StripPlanner(LOCAL_ONLY,
            new CalibrationFanOut(LOCAL_ONLY, 2, 1024));

    @Test
    void aStaticRequestBecomesAPlannedJobWithTheStripExpertsAndLayersItAsksFor() throws JobRejectedException {
        PruneRequested requested = request(FIXTURE.toString(), TestJobs.stripVision(List.of(0, 2, 4, 6), List.of(4)));

        PlannedJob job = planner.plan(requested);

        assertThat(job.planned().jobId()).isEqualTo("job-1");
        assertThat(job.planned().request()).isEqualTo(requested.request());
        assertThat(job.planned().calibrationTasks()).isZero();
        PruningPlan plan = job.planned().staticPlan();
        assertThat(plan.strip()).containsExactly(Strip.VISION);
        assertThat(plan.expertsOf(MoeStack.THINKER)).hasValueSatisfying(experts -> {
            assertThat(experts).containsOnlyKeys(0, 1, 2, 3, 5);
            assertThat(experts.values()).allSatisfy(kept -> assertThat(kept).containsExactly(0, 2, 4, 6));
        });
        assertThat(plan.keptLayersOf(MoeStack.THINKER)).contains(List.of(0, 1, 2, 3, 5));
        assertThat(job.progress().phase()).isEqualTo(JobPhase.PLANNING);
        assertThat(job.progress().done()).isEqualTo(job.progress().total());
    }

    @Test
    void aCalibratedRequestKeepsItsStaticPlanAndIsSplitIntoTasks() throws Exception {
        Path audio = Files.write(temp.resolve("audio.jsonl"), List.of("{\"id\": \"a\", \"text\": \"one\"}",
                "{\"id\": \"b\", \"text\": \"two\"}", "{\"id\": \"c\", \"text\": \"three\"}"));
        PruneRequested requested = PruneRequested.of("job-1", new PruneRequest(MODEL, output(),
                TestJobs.stripVision(), Optional.of(TestJobs.halfTheExperts(audio.toString(), 128))));

        PlannedJob job = planner.plan(requested);

        assertThat(job.tasks()).extracting(CalibrationTask::taskId).containsExactly("job-1:task:0", "job-1:task:1");
        assertThat(job.tasks()).extracting(CalibrationTask::modelPath)
                .containsOnly(StoreLocation.parse(FIXTURE.toString()));
        assertThat(job.planned().calibrationTasks()).isEqualTo(2);
        assertThat(job.planned().staticPlan().strip()).containsExactly(Strip.VISION);
        assertThat(job.progress().detail()).contains("2 calibration tasks over 3 samples");
    }

    @Test
    void aJobThatEvaluatesHoldsTheLastAudioSamplesOutOfEveryCalibrationTask() throws Exception {
        Path audio = audioSamples(10);
        PlannedJob job = planner.plan(PruneRequested.of("job-1", new PruneRequest(MODEL, output(),
                TestJobs.stripVision(), Optional.of(evaluating(audio, 128, 3, true)))));

        assertThat(job.planned().evaluation()).contains(new HeldOutSamples(audio.toString(), 7, 3, 5));
        assertThat(calibratedAudio(job)).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(job.progress().detail()).contains("audio samples 7..9 held out of calibration to evaluate the"
                + " written model");
    }

    @Test
    void atMostHalfTheAudioSamplesAreHeldOutAndTheCalibrationLimitAppliesToTheOthers() throws Exception {
        Path audio = audioSamples(5);
        PlannedJob job = planner.plan(PruneRequested.of("job-1", new PruneRequest(MODEL, output(),
                TestJobs.stripVision(), Optional.of(evaluating(audio, 2, 8, true)))));

        assertThat(job.planned().evaluation()).contains(new HeldOutSamples(audio.toString(), 3, 2, 5));
        assertThat(calibratedAudio(job)).containsExactly(0, 1);
    }

    @Test
    void aStripOnlyJobWithAudioDataIsEvaluatedWithoutCalibrating() throws Exception {
        Path audio = audioSamples(4);
        PlannedJob job = planner.plan(PruneRequested.of("job-1", new PruneRequest(MODEL, output(),
                TestJobs.stripVision(), Optional.of(evaluating(audio, 128, 8, false)))));

        assertThat(job.tasks()).isEmpty();
        assertThat(job.planned().calibrationTasks()).isZero();
        assertThat(job.planned().evaluation()).contains(new HeldOutSamples(audio.toString(), 2, 2, 5));
    }

    @Test
    void aDryRunHoldsTheSameSamplesOutOfCalibrationButEvaluatesNothing() throws Exception {
        Path audio = audioSamples(10);
        PlannedJob job = planner.plan(PruneRequested.of("job-1", new PruneRequest(MODEL, Optional.empty(),
                TestJobs.stripVision(), Optional.of(evaluating(audio, 128, 3, true)), true)));

        assertThat(job.planned().evaluation()).isEmpty();
        assertThat(calibratedAudio(job)).containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    private Path audioSamples(int count) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int sample = 0; sample < count; sample++) {
            lines.add("{\"id\": \"s" + sample + "\", \"text\": \"sample " + sample + "\"}");
        }
        return Files.write(temp.resolve("audio.jsonl"), lines);
    }

    private static CalibrationSettings evaluating(Path audio, int samplesPerModality, int heldOut,
                                                  boolean scoresExperts) {
        return new CalibrationSettings(Map.of(Modality.AUDIO, audio.toString()), samplesPerModality,
                scoresExperts ? OptionalDouble.of(0.5) : OptionalDouble.empty(), CalibrationSettings.DEFAULT_LAMBDA,
                CalibrationSettings.DEFAULT_BETA, CalibrationSettings.DEFAULT_SIMILARITY_THRESHOLD, 0,
                CalibrationSettings.DEFAULT_PROTECT_FIRST, CalibrationSettings.DEFAULT_PROTECT_LAST,
                CalibrationSettings.DEFAULT_LAYERS_TO_SKIP, SaliencyNormalization.REAP,
                new EvaluationSettings(heldOut, 5));
    }

    /** Every audio sample some calibration task runs, in order. */
    private static List<Integer> calibratedAudio(PlannedJob job) {
        return job.tasks().stream().flatMap(task -> task.slices().stream())
                .filter(slice -> slice.modality() == Modality.AUDIO)
                .flatMap(slice -> IntStream.range(slice.firstSample(), slice.firstSample() + slice.sampleCount())
                        .boxed())
                .sorted().toList();
    }

    @Test
    void aCalibratedRequestWhoseDataCannotBeReadIsRejected() {
        String missing = temp.resolve("absent.jsonl").toString();
        PruneRequested requested = PruneRequested.of("job-1", new PruneRequest(MODEL, output(),
                TestJobs.stripVision(), Optional.of(TestJobs.halfTheExperts(missing, 128))));

        assertRejected(requested, "audio calibration data", missing, "could not be read");
    }

    @Test
    void aModelOfAnotherLayoutIsRejected() throws IOException {
        Path llama = Files.createDirectories(temp.resolve("llama"));
        Files.writeString(llama.resolve("config.json"), "{\"model_type\": \"llama\", \"num_hidden_layers\": 2}");

        assertRejected(request(llama.toString(), TestJobs.stripVision(List.of(0, 1), List.of())),
                "is not a Qwen3-Omni checkpoint that reap-omni can prune");
    }

    @Test
    void aModelWithAMissingShardIsRejectedNamingTheShard() throws IOException {
        Path incomplete = copyOfFixtureWithout("model-00003-of-00007.safetensors");

        assertRejected(request(incomplete.toString(), TestJobs.stripVision(List.of(0, 1), List.of())),
                "model-00003-of-00007.safetensors");
    }

    @Test
    void aFolderWithoutAModelIsRejected() {
        assertRejected(request(temp.resolve("nothing-here").toString(), TestJobs.stripVision(List.of(0, 1), List.of())),
                "nothing-here");
    }

    @Test
    void expertsTheModelDoesNotHaveAreRejected() {
        assertRejected(request(FIXTURE.toString(), TestJobs.stripVision(List.of(0, 99), List.of())),
                "the request does not fit the model", "99");
    }

    @Test
    void layersTheModelDoesNotHaveAreRejected() {
        assertRejected(request(FIXTURE.toString(), TestJobs.stripVision(List.of(), List.of(9))),
                "the request does not fit the model", "9");
    }

    @Test
    void anOutputInsideTheModelIsRejected() {
        PruneRequested requested = PruneRequested.of("job-1", new PruneRequest(MODEL,
                StoreLocation.parse(FIXTURE.resolve("pruned").toString()), TestJobs.stripVision(List.of(0, 1),
                List.of()), Optional.empty()));

        assertRejected(requested, "overlaps the model");
    }

    @Test
    void anS3ModelWithoutS3SettingsIsRejectedNamingTheVariable() {
        assertRejected(request("s3://models/tiny", TestJobs.stripVision(List.of(0, 1), List.of())),
                "cannot open the model at s3://models/tiny", S3Settings.ENDPOINT_VARIABLE);
    }

    @Test
    void anUnreachableStoreIsRejected() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        S3Settings nowhere = new S3Settings(URI.create("http://127.0.0.1:" + closedPort), S3Settings.DEFAULT_REGION,
                "access", "secret");
        JobStores stores = new JobStores(new StoreAccess(() -> nowhere, new LocalRoots(List.of(temp))),
                "the strip service");
        StripPlanner unreachable = new StripPlanner(stores, new CalibrationFanOut(stores, 2, 1024));
        PruneRequested requested = request("s3://models/tiny", TestJobs.stripVision(List.of(0, 1), List.of()));

        assertThatThrownBy(() -> unreachable.plan(requested))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("s3://models/tiny could not be read")
                .hasMessageContaining("reachable");
    }

    @Test
    void aModelOrAnOutputOutsideTheServicesLocalRootsIsRejectedNamingTheRoots() throws IOException {
        Path linkedModel = Files.createSymbolicLink(temp.resolve("linked-model"), FIXTURE);
        PlanChoices choices = TestJobs.stripVision(List.of(0, 1), List.of());

        assertThatThrownBy(() -> plannerWithRoots(new LocalRoots(List.of(FIXTURE)))
                .plan(request(FIXTURE.toString(), choices)))
                .isInstanceOf(JobRejectedException.class)
                .hasMessage(output() + " is not inside the local folders this service may use (REAP_LOCAL_ROOTS: "
                        + FIXTURE.normalize() + ")");
        assertThatThrownBy(() -> plannerWithRoots(new LocalRoots(List.of(temp)))
                .plan(request(linkedModel.toString(), choices)))
                .as("the link lies under the root, the model it leads to does not")
                .isInstanceOf(JobRejectedException.class)
                .hasMessageStartingWith(linkedModel + " (really " + FIXTURE.toRealPath() + ") is not under");
        assertThatThrownBy(() -> plannerWithRoots(LocalRoots.none()).plan(PruneRequested.of("job-1",
                new PruneRequest(MODEL, Optional.empty(), choices, Optional.empty(), true))))
                .isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("REAP_LOCAL_ROOTS: none are set, so no local folder may be used");
    }

    private static StripPlanner plannerWithRoots(LocalRoots roots) {
        JobStores stores = new JobStores(new StoreAccess(() -> {
            throw new IllegalStateException(S3Settings.ENDPOINT_VARIABLE + " is not set");
        }, roots), "the strip service");
        return new StripPlanner(stores, new CalibrationFanOut(stores, 2, 1024));
    }

    private void assertRejected(PruneRequested requested, String... reasonParts) {
        assertThatThrownBy(() -> planner.plan(requested))
                .isInstanceOf(JobRejectedException.class)
                .message().contains(reasonParts);
    }

    private PruneRequested request(String model, PlanChoices choices) {
        return PruneRequested.of("job-1", new PruneRequest(StoreLocation.parse(model), output(), choices,
                Optional.empty()));
    }

    private StoreLocation output() {
        return StoreLocation.parse(temp.resolve("pruned").toString());
    }

    private Path copyOfFixtureWithout(String missing) throws IOException {
        Path copy = Files.createDirectories(temp.resolve("incomplete"));
        try (Stream<Path> files = Files.list(FIXTURE)) {
            for (Path file : files.filter(file -> !file.getFileName().toString().equals(missing)).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }
}
