package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.evaluation.Continuation;
import io.reapomni.common.evaluation.ConversionLossByModel;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.evaluation.SampleQuality;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.report.ReportFigures;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.testing.TestJobs;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A job's evaluation added to the model it published: the report, its figure and the manifest, nothing else. */
class QualityRecordTest {
    private static final QualityReport QUALITY = QualityReport.of("/models/original", "/models/pruned",
            "/data/audio.jsonl", 6, 2, 2, List.of(new SampleQuality("speech-7", 31, 30, 10, 0.0123, 0.016,
                    1.0 / 30, OptionalDouble.of(6.94), OptionalDouble.of(6.99),
                    new Continuation(List.of(436, 400), " male em", false),
                    new Continuation(List.of(118, 419), "ine de", false))), List.of(),
            new ConversionLossByModel(new ConversionLoss(0, 3), ConversionLoss.NONE));

    @TempDir
    Path folder;

    @Test
    void theReportGainsItsQualitySectionAndFigureAndTheManifestStaysExact() throws Exception {
        Path output = written("job-7", List.of(0, 2, 5, 7), List.of(1, 4));
        Map<String, String> modelFiles = modelFiles(output);

        QualityRecord.Recorded recorded;
        try (LocalObjectStore store = new LocalObjectStore(output)) {
            recorded = QualityRecord.add(store, "job-7", QUALITY);
        }

        assertThat(modelFiles(output)).isEqualTo(modelFiles);
        RewriteReport report = ReportFiles.readReport(Files.readAllBytes(output.resolve(RewriteReport.JSON_FILE)));
        assertThat(report.quality()).contains(QUALITY);
        assertThat(recorded.report()).isEqualTo(report);
        String markdown = Files.readString(output.resolve(RewriteReport.MARKDOWN_FILE));
        assertThat(markdown).contains("- quality on 1 held-out audio samples: KL 0.0123 nats/token",
                "## Quality on held-out samples", "Samples 6..7 of `/data/audio.jsonl`",
                "![Quality per held-out sample](reap-quality.svg)", "| speech-7 | 31 |",
                "reap-omni evaluate -m ", " --first-sample 6 --samples 2 --generate-tokens 2`",
                "- original model, float16: 0 weights beyond float16's range clamped to ±65504, 3 weights below")
                .doesNotContain("by construction", "pruned model, float16");
        assertThat(output.resolve(ReportFigures.QUALITY)).exists();
        Manifest manifest = ReportFiles.readManifest(Files.readAllBytes(output.resolve(Manifest.FILE_NAME)));
        assertThat(manifest).isEqualTo(recorded.manifest());
        assertThat(manifest.jobId()).isEqualTo("job-7");
        for (ManifestEntry entry : manifest.files()) {
            byte[] content = Files.readAllBytes(output.resolve(entry.path()));
            assertThat(content.length).as(entry.path()).isEqualTo(entry.size());
            assertThat(RewriteVerifier.sha256(content)).as(entry.path()).isEqualTo(entry.sha256());
        }
        assertThat(manifest.files()).extracting(ManifestEntry::path).contains(ReportFigures.QUALITY)
                .hasSize(fileCount(output) - 1);
    }

    @Test
    void recordingTwiceChangesNothing() throws Exception {
        Path output = written("job-7", List.of(0, 2, 5, 7), List.of());
        try (LocalObjectStore store = new LocalObjectStore(output)) {
            QualityRecord.add(store, "job-7", QUALITY);
            Map<String, String> once = TestModels.fingerprint(output);
            QualityRecord.add(store, "job-7", QUALITY);
            assertThat(TestModels.fingerprint(output)).isEqualTo(once);
        }
    }

    @Test
    void aStripOnlyReportSaysItsKlIsZeroByConstruction() throws Exception {
        Path output = written("job-8", List.of(), List.of());
        try (LocalObjectStore store = new LocalObjectStore(output)) {
            QualityRecord.add(store, "job-8", QUALITY);
        }
        assertThat(Files.readString(output.resolve(RewriteReport.MARKDOWN_FILE)))
                .contains("KL is 0 and top-1 agreement 100% by construction");
    }

    @Test
    void anotherJobsModelIsRefusedAndLeftAsItWas() throws Exception {
        Path output = written("job-7", List.of(0, 2, 5, 7), List.of());
        Map<String, String> before = TestModels.fingerprint(output);
        try (LocalObjectStore store = new LocalObjectStore(output)) {
            assertThatThrownBy(() -> QualityRecord.add(store, "job-9", QUALITY))
                    .isInstanceOf(OutputExistsException.class).hasMessageContaining("job-7");
        }
        assertThat(TestModels.fingerprint(output)).isEqualTo(before);
    }

    /** A report whose quality an earlier version recorded, before evaluations counted what float16 lost. */
    @Test
    void aQualityRecordedBeforeConversionLossWasCountedStillReads() throws Exception {
        Path output = written("job-9", List.of(0, 2, 5, 7), List.of());
        try (LocalObjectStore store = new LocalObjectStore(output)) {
            QualityRecord.add(store, "job-9", QUALITY);
        }
        Path json = output.resolve(RewriteReport.JSON_FILE);
        ObjectNode report = (ObjectNode) StrictJson.DOCUMENTS.readTree(Files.readAllBytes(json));
        ObjectNode quality = (ObjectNode) report.get("quality");
        quality.remove("conversion_loss");
        quality.put("schema_version", 1);
        Files.write(json, StrictJson.MAPPER.writeValueAsBytes(report));

        QualityReport read = ReportFiles.readReport(Files.readAllBytes(json)).quality().orElseThrow();

        assertThat(read.conversionLoss()).isEmpty();
        assertThat(read.samples()).isEqualTo(QUALITY.samples());
    }

    private Path written(String jobId, List<Integer> experts, List<Integer> layers) throws Exception {
        Path output = folder.resolve(jobId);
        TestModels.prune(TinyQwen3Omni.model(), TestJobs.stripVision(experts, layers), output, jobId);
        return output;
    }

    private static Map<String, String> modelFiles(Path output) throws Exception {
        Map<String, String> files = new TreeMap<>(TestModels.fingerprint(output));
        files.keySet().removeIf(name -> ReportFiles.NAMES.contains(name) || name.equals(Manifest.FILE_NAME));
        return files;
    }

    private static int fileCount(Path output) throws Exception {
        try (var files = Files.list(output)) {
            return (int) files.count();
        }
    }
}
