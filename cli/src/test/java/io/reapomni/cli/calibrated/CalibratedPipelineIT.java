package io.reapomni.cli.calibrated;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.calibration.Calibration;
import io.reapomni.calibration.CalibrationListener;
import io.reapomni.calibration.CalibrationSlice;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.cli.CliRun;
import io.reapomni.cli.jobs.TopicReader;
import io.reapomni.cli.stack.EmbeddedStack;
import io.reapomni.cli.stack.OwnedProcess;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.cli.stack.StackFolder;
import io.reapomni.cli.stack.StackPart;
import io.reapomni.cli.stack.StackSettings;
import io.reapomni.cli.stack.StackState;
import io.reapomni.common.calibration.CosineStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.plan.PlanJson;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.report.ReportFigures;
import io.reapomni.common.rewrite.ReportFiles;
import io.reapomni.common.rewrite.RewriteReport;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.devtools.calibrationdata.CalibrationDataGenerator;
import io.reapomni.devtools.calibrationdata.GeneratedData;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The calibrated method as one job through the embedded stack, as {@code reap-omni prune} runs it: one calibration
 * task per worker, each run as one unit, scoring, the plan, the rewrite, the evaluation of the written model on the
 * audio samples held out of calibration. The reference is the calibration engine run directly over the same samples,
 * and {@code reap-omni evaluate} run directly on the held-out ones. Sums are compared at 1e-6 relative: a task's float32 matrix products have fewer
 * rows than the direct run's, and MKL rounds the last bit by the number of rows (RunnerMergeTest).
 */
class CalibratedPipelineIT {

    /** Samples the calibration runs: the first of the audio file, whose last {@link #HELD_OUT} are held out. */
    private static final int SAMPLES = 4;
    private static final int HELD_OUT = 2;
    private static final double RELATIVE = 1e-6;
    private static final Duration TASK_START_BOUND = Duration.ofMinutes(3);
    private static final Pattern STARTED_TASK = Pattern.compile("started calibration task (\\S+) of");
    private static final Pattern EXPERT_TENSOR = Pattern.compile("thinker\\.model\\.layers\\.(\\d+)\\.mlp\\.experts\\.(\\d+)\\.");

    @TempDir
    static Path temp;

    private static Path model;
    private static Path audioData;
    private static ModalityStats direct;
    private static PruningPlan oneWorkerPlan;

    @BeforeAll
    static void calibrateDirectlyAndWithOneWorker() throws Exception {
        model = copy(TinyQwen3Omni.model(), temp.resolve("model"));
        GeneratedData data = CalibrationDataGenerator.withInstalledTools().generate(temp.resolve("calib"),
                SAMPLES + HELD_OUT, 7);
        audioData = data.files().get(Modality.AUDIO);
        try (LocalObjectStore store = new LocalObjectStore(model);
             Calibration calibration = Calibration.open(store);
             LocalObjectStore dataFolder = new LocalObjectStore(audioData.getParent())) {
            direct = calibration.run(List.of(new CalibrationSlice(Modality.AUDIO, dataFolder,
                    audioData.getFileName().toString(), new SampleRange(0, SAMPLES))), ComputeOptions.cpuFloat32(),
                    CalibrationListener.NONE).statistics().modalities().get(Modality.AUDIO.id());
        }
        Path planFile = temp.resolve("one-worker-plan.json");
        CliRun dryRun = prune(temp.resolve("stack-one"), Optional.empty(), "--workers", "1", "--dry-run",
                "--write-plan", planFile);
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains("proposed its plan").contains("tasks");
        oneWorkerPlan = PlanJson.read(Files.readAllBytes(planFile));
    }

    @Test
    void twoWorkersWriteTheOneWorkerPlanScoredFromTheEngineStatisticsAndTheReportMatchesTheModel() throws Exception {
        Path output = temp.resolve("two-workers");

        CliRun run = prune(temp.resolve("stack-two"), Optional.of(output), "--workers", "2");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Experts (thinker)");
        StackFolder stackTwo = new StackFolder(temp.resolve("stack-two"));
        List<String> started = new java.util.ArrayList<>();
        for (String worker : List.of("calibration-service", "calibration-service-2")) {
            Matcher tasks = STARTED_TASK.matcher(Files.readString(stackTwo.log(worker)));
            List<String> ofWorker = new java.util.ArrayList<>();
            while (tasks.find()) {
                ofWorker.add(tasks.group(1));
            }
            assertThat(ofWorker).as("tasks of %s: one each, so each reads every layer once", worker).hasSize(1);
            started.addAll(ofWorker);
        }
        assertThat(started).allMatch(task -> task.matches(".*:task:[01]")).doesNotHaveDuplicates();
        RewriteReport report = ReportFiles.readReport(Files.readAllBytes(output.resolve(RewriteReport.JSON_FILE)));
        PruningPlan written = PlanJson.fromTree(report.plan());
        assertSamePruning(written, oneWorkerPlan);
        assertScoredFromDirectStatistics(ScoringEvidence.fromPlanEvidence(written.evidence()).orElseThrow());
        assertReportMatchesCheckpoint(report, output);
    }

    @Test
    void theHeldOutSamplesAreInNoCalibrationTaskAndTheReportsQualityIsADirectEvaluationOfTheWrittenModel()
            throws Exception {
        StackFolder folder = new StackFolder(temp.resolve("stack-evaluated"));
        StackState stack = EmbeddedStack.start(folder, ReapHome.locate(), StackSettings.of(1, List.of())).state();
        Path output = temp.resolve("evaluated");
        CliRun run;
        List<JobEvent> tasks;
        try {
            run = prune(folder.root(), Optional.of(output));
            try (TopicReader reader = TopicReader.fromBeginning(stack.kafka(),
                    List.of(Topics.CALIBRATION_TASKS))) {
                tasks = reader.readToEnd();
            }
        } finally {
            EmbeddedStack.stop(folder, stack);
        }

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Quality on " + HELD_OUT + " held-out audio samples: KL ");
        List<CalibrationTask.Slice> audioSlices = tasks.stream().map(CalibrationTask.class::cast)
                .flatMap(task -> task.slices().stream()).filter(slice -> slice.modality() == Modality.AUDIO).toList();
        assertThat(audioSlices).isNotEmpty().allSatisfy(slice ->
                assertThat(slice.firstSample() + slice.sampleCount()).isLessThanOrEqualTo(SAMPLES));
        RewriteReport report = ReportFiles.readReport(Files.readAllBytes(output.resolve(RewriteReport.JSON_FILE)));
        QualityReport quality = report.quality().orElseThrow();
        assertThat(quality.firstSample()).isEqualTo(SAMPLES);
        assertThat(quality.sampleCount()).isEqualTo(HELD_OUT);
        assertThat(quality.samples()).extracting(SampleQuality::id).containsExactlyElementsOf(lineIds(SAMPLES,
                SAMPLES + HELD_OUT));
        assertThat(Files.readString(output.resolve(RewriteReport.MARKDOWN_FILE)))
                .contains("## Quality on held-out samples", "![Quality per held-out sample](reap-quality.svg)");
        assertThat(output.resolve(ReportFigures.QUALITY)).exists();
        assertThat(output.resolve(ReportFigures.AFFINITY)).exists();

        Path direct = temp.resolve("direct-evaluation.json");
        CliRun evaluate = CliRun.of("evaluate", "-m", model, "--pruned", output, "--data", audioData,
                "--first-sample", SAMPLES, "--samples", HELD_OUT, "--output", direct);
        assertThat(evaluate.exitCode()).as(evaluate.toString()).isZero();
        assertThat(quality.samples()).isEqualTo(QualityReport.fromJson(Files.readAllBytes(direct)).samples());

        CliRun scores = CliRun.of("scores", output);
        assertThat(scores.out()).contains("## Quality on held-out samples: samples 4..5 of ");
    }

    @Test
    void aWorkerKilledInItsFirstTaskLeavesItToTheOtherAndTheJobCompletesWithTheSamePlan() throws Exception {
        StackFolder folder = new StackFolder(temp.resolve("stack-killed"));
        StackState stack = EmbeddedStack.start(folder, ReapHome.locate(), StackSettings.of(2, List.of())).state();
        Path output = temp.resolve("killed-worker");
        try {
            CompletableFuture<CliRun> job = CompletableFuture.supplyAsync(() ->
                    prune(folder.root(), Optional.of(output)));
            StackPart busy = awaitFirstTaskStarted(stack);
            ProcessHandle worker = OwnedProcess.find(busy).orElseThrow();
            worker.destroyForcibly();
            worker.onExit().get(30, TimeUnit.SECONDS);

            CliRun run = job.get(5, TimeUnit.MINUTES);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            String killedTask = startedTask(busy).orElseThrow();
            StackPart survivor = workers(stack).stream().filter(part -> !part.equals(busy)).findFirst().orElseThrow();
            assertThat(Files.readString(survivor.logFile())).as("the killed worker's task was run by the other")
                    .contains("started calibration task " + killedTask + " ");
            RewriteReport report = ReportFiles.readReport(Files.readAllBytes(output.resolve(RewriteReport.JSON_FILE)));
            assertSamePruning(PlanJson.fromTree(report.plan()), oneWorkerPlan);
        } finally {
            EmbeddedStack.stop(folder, stack);
        }
    }

    private static CliRun prune(Path runFolder, Optional<Path> output, Object... more) {
        List<Object> args = new java.util.ArrayList<>(List.of("prune", "-m", model, "--strip-vision",
                "--retention-rate", "0.5", "--max-layers", "2", "--similarity-threshold", "-1",
                "--audio-data", audioData, "--calibration-samples", SAMPLES, "--evaluate-samples", HELD_OUT,
                "--run-folder", runFolder));
        output.ifPresent(folder -> args.addAll(List.of("-o", folder)));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray());
    }

    /** The worker log that first says it started a task; its process is still running it (tasks take seconds). */
    private static StackPart awaitFirstTaskStarted(StackState stack) throws IOException, InterruptedException {
        List<StackPart> workers = workers(stack);
        assertThat(workers).hasSize(2);
        long deadline = System.nanoTime() + TASK_START_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            for (StackPart worker : workers) {
                if (startedTask(worker).isPresent()) {
                    return worker;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no calibration worker started a task within " + TASK_START_BOUND);
    }

    private static List<StackPart> workers(StackState stack) {
        return stack.parts().stream().filter(part -> part.name().startsWith("calibration-service")).toList();
    }

    /** The id of the first task the worker's log says it started. */
    private static Optional<String> startedTask(StackPart worker) throws IOException {
        Matcher started = STARTED_TASK.matcher(Files.readString(worker.logFile()));
        return started.find() ? Optional.of(started.group(1)) : Optional.empty();
    }

    private static void assertSamePruning(PruningPlan actual, PruningPlan expected) {
        assertThat(actual.strip()).isEqualTo(expected.strip());
        assertThat(actual.expertsOf(MoeStack.THINKER)).isEqualTo(expected.expertsOf(MoeStack.THINKER));
        assertThat(actual.keptLayersOf(MoeStack.THINKER)).isEqualTo(expected.keptLayersOf(MoeStack.THINKER));
        assertThat(actual.expertsOf(MoeStack.THINKER)).isPresent();
    }

    /** S1 = Σ g·‖f‖ / routed tokens per expert, and each block's mean cosine, as the engine's own sums give them. */
    private static void assertScoredFromDirectStatistics(ScoringEvidence evidence) {
        ScoringEvidence.ModalityData audio = evidence.calibrationData().stream()
                .filter(data -> data.modality().equals(Modality.AUDIO.id())).findFirst().orElseThrow();
        assertThat(audio.samples()).isEqualTo(direct.samples()).isEqualTo(SAMPLES);
        assertThat(audio.tokens()).isEqualTo(direct.tokens());
        Map<Integer, ExpertLayerStats> byLayer = new TreeMap<>();
        direct.experts().forEach(layer -> byLayer.put(layer.layer(), layer));
        List<ScoringEvidence.LayerExperts> scored = evidence.experts().orElseThrow().layers();
        assertThat(scored).isNotEmpty();
        for (ScoringEvidence.LayerExperts layer : scored) {
            ExpertLayerStats sums = byLayer.get(layer.layer());
            for (ScoringEvidence.ExpertScore expert : layer.experts()) {
                long routed = sums.routedCount()[expert.expert()];
                double expected = routed == 0 ? 0 : sums.saliencySum()[expert.expert()] / routed;
                assertThat(expert.s1()).as("layer %d expert %d", layer.layer(), expert.expert())
                        .isCloseTo(expected, within(RELATIVE * Math.max(1, Math.abs(expected))));
            }
        }
        List<ScoringEvidence.BlockScore> blocks = evidence.layers().orElseThrow().blocks();
        assertThat(blocks).isNotEmpty();
        for (ScoringEvidence.BlockScore block : blocks) {
            CosineStats cosine = direct.cosine().stream()
                    .filter(stats -> stats.layer() == block.firstLayer() && stats.offset() == 1)
                    .findFirst().orElseThrow();
            assertThat(block.meanCosine()).isCloseTo(cosine.mean(), within(RELATIVE));
        }
    }

    /** Parameters after are the output's tensors; kept experts per layer are the output's experts of that layer. */
    private static void assertReportMatchesCheckpoint(RewriteReport report, Path output) throws IOException {
        Checkpoint written;
        try (LocalObjectStore store = new LocalObjectStore(output)) {
            written = Checkpoint.open(store);
        }
        long parameters = written.tensorInfos().stream()
                .mapToLong(tensor -> tensor.shape().stream().reduce(1L, Math::multiplyExact)).sum();
        assertThat(report.parametersAfter()).isEqualTo(parameters);
        Map<Integer, TreeSet<Integer>> expertsByLayer = new TreeMap<>();
        for (TensorInfo tensor : written.tensorInfos()) {
            Matcher expert = EXPERT_TENSOR.matcher(tensor.name());
            if (expert.lookingAt()) {
                expertsByLayer.computeIfAbsent(Integer.parseInt(expert.group(1)), layer -> new TreeSet<>())
                        .add(Integer.parseInt(expert.group(2)));
            }
        }
        RewriteReport.StackRow thinker = report.stacks().stream().filter(row -> row.stack().equals("thinker"))
                .findFirst().orElseThrow();
        Map<Integer, Integer> reported = new TreeMap<>();
        thinker.experts().forEach(layer -> reported.put(layer.newLayer(), layer.kept().size()));
        Map<Integer, Integer> counted = new TreeMap<>();
        expertsByLayer.forEach((layer, experts) -> counted.put(layer, experts.size()));
        assertThat(counted).isNotEmpty().isEqualTo(reported);
    }

    /** The ids of samples {@code [first, end)} of the audio file, one sample a line. */
    private static List<String> lineIds(int first, int end) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(audioData).stream().filter(line -> !line.isBlank()).toList();
        List<String> ids = new java.util.ArrayList<>();
        for (String line : lines.subList(first, end)) {
            ids.add(json.readTree(line).path("id").asText());
        }
        return ids;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}
