package io.reapomni.common.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.evaluation.ConversionLossByModel;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a service refuses to act on, whoever published it. */
class EventCodecTest {

    @Test
    void anEventWhoseJobIdCouldNameAPathIsRefusedWithoutNamingTheJob() {
        String json = planReady("x/../victim", "{\"schemaVersion\": 1, \"strip\": [\"vision\"]}");

        assertThatThrownBy(() -> EventCodec.decode(json, PlanReady.class))
                .isInstanceOfSatisfying(MalformedEventException.class, e -> {
                    assertThat(e).hasMessageContaining("invalid job id \"x/../victim\"");
                    assertThat(e.jobId()).as("no JobFailed is published under such an id").isEmpty();
                });
    }

    @Test
    void aDuplicatedKeyInAnEventOrInTheDocumentsItCarriesIsRefused() {
        String duplicatedOutput = planReady("job-1", "{\"schemaVersion\": 1}")
                .replace("\"outputPath\": \"s3://models/out\"",
                        "\"outputPath\": \"s3://models/out\", \"outputPath\": \"s3://models/x\"");
        String duplicatedInPlan = planReady("job-1",
                "{\"schemaVersion\": 1, \"layers\": {\"thinker\": [0, 1]}, \"layers\": {\"thinker\": [0]}}");

        assertThatThrownBy(() -> EventCodec.decode(duplicatedOutput, PlanReady.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("Duplicate field 'outputPath'")
                .satisfies(e -> assertThat(((MalformedEventException) e).jobId())
                        .as("no job is named from a message that is not one JSON document").isEmpty());
        assertThatThrownBy(() -> EventCodec.decode(duplicatedInPlan, PlanReady.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("Duplicate field 'layers'");
    }

    @Test
    void aMessageWithAnythingAfterItsEventIsRefused() {
        String event = planReady("job-1", "{\"schemaVersion\": 1}");
        assertThatThrownBy(() -> EventCodec.decode(event + " {\"jobId\": \"job-2\"}", PlanReady.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("unreadable event");
    }

    @Test
    void aPlanWrittenBeforeJobsWereEvaluatedReadsWithoutAnEvaluation() throws Exception {
        PlanReady event = EventCodec.decode(planReady("job-1", "{\"schemaVersion\": 1}"), PlanReady.class);

        assertThat(event.evaluation()).isEmpty();
        assertThatThrownBy(() -> EventCodec.decode(planReady("job-1", "{\"schemaVersion\": 1}")
                .replace(" \"modelPath\": \"s3://models/model\",", ""), PlanReady.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("modelPath");
    }

    @Test
    void aValidEventReadsBackEqual() throws Exception {
        PlanReady event = PlanReady.of("job-1", StoreLocation.parse("s3://models/model"),
                new StoreLocation.Local(Path.of("/data/pruned")), PruningPlan.empty());

        assertThat(EventCodec.decode(EventCodec.encode(event), PlanReady.class)).isEqualTo(event);
    }

    /** A worker of an earlier version reports a quality without what float16 could not keep of each model. */
    @Test
    void anEvaluationReportedBeforeConversionLossWasCountedReadsWithoutIt() throws Exception {
        QualityReport quality = QualityReport.of("s3://models/model", "s3://models/out", "s3://data/audio.jsonl", 0,
                1, 0, List.of(), List.of(new SkippedSample("a", "unreadable")),
                new ConversionLossByModel(ConversionLoss.NONE, new ConversionLoss(1, 2)));
        EvaluationReported event = EvaluationReported.of("job-1", StoreLocation.parse("s3://models/out"), quality);
        ObjectNode written = (ObjectNode) StrictJson.DOCUMENTS.readTree(EventCodec.encode(event));
        ((ObjectNode) written.get("quality")).remove("conversion_loss");

        assertThat(EventCodec.decode(EventCodec.encode(event), EvaluationReported.class)).isEqualTo(event);
        assertThat(EventCodec.decode(written.toString(), EvaluationReported.class).quality())
                .isEqualTo(new QualityReport(quality.schemaVersion(), quality.original(), quality.pruned(),
                        quality.data(), 0, 1, 0, List.of(), quality.skipped(), Optional.empty(), Optional.empty()));
    }

    @Test
    void storeLocationsAreTheStringsOnTheWireReadIntoTypedLocations() throws Exception {
        PlanReady event = EventCodec.decode(planReady("job-1", "{\"schemaVersion\": 1}"), PlanReady.class);

        assertThat(event.modelPath()).isEqualTo(new StoreLocation.S3("models", "model"));
        assertThat(event.outputPath()).isEqualTo(new StoreLocation.S3("models", "out"));
        assertThat(EventCodec.encode(event)).contains("\"modelPath\":\"s3://models/model\"",
                "\"outputPath\":\"s3://models/out\"");
    }

    @Test
    void aLocationThatIsNotOneIsRefusedNamingItsField() {
        String badBucket = planReady("job-1", "{\"schemaVersion\": 1}").replace("s3://models/out", "s3://B_/out");
        String otherScheme = planReady("job-1", "{\"schemaVersion\": 1}").replace("s3://models/model", "gs://b/model");
        String notAString = planReady("job-1", "{\"schemaVersion\": 1}").replace("\"s3://models/model\"", "42");

        assertThatThrownBy(() -> EventCodec.decode(badBucket, PlanReady.class))
                .isInstanceOfSatisfying(MalformedEventException.class, e -> {
                    assertThat(e).hasMessageContaining("s3://B_/out").hasMessageContaining("/outputPath");
                    assertThat(e.jobId()).contains("job-1");
                });
        assertThatThrownBy(() -> EventCodec.decode(otherScheme, PlanReady.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("gs://b/model").hasMessageContaining("/modelPath");
        assertThatThrownBy(() -> EventCodec.decode(notAString, PlanReady.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("/modelPath");
    }

    @Test
    void aDryRunsRequestHasAnEmptyOutputPathOnTheWireAndAModelPathThatIsNoLocationIsRefused() throws Exception {
        PlanChoices choices = TestJobs.stripVision();
        PruneRequested dryRun = PruneRequested.of("job-2", new PruneRequest(StoreLocation.parse("s3://models/model"),
                Optional.empty(), choices, Optional.empty(), true));

        String json = EventCodec.encode(dryRun);

        assertThat(json).contains("\"modelPath\":\"s3://models/model\"", "\"outputPath\":\"\"");
        assertThat(EventCodec.decode(json, PruneRequested.class)).isEqualTo(dryRun);
        assertThatThrownBy(() -> EventCodec.decode(json.replace("s3://models/model", "ftp://models/model"),
                PruneRequested.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("ftp://models/model").hasMessageContaining("/request/modelPath");
    }

    private static String planReady(String jobId, String plan) {
        return "{\"type\": \"PlanReady\", \"jobId\": \"" + jobId + "\", \"schemaVersion\": 1,"
                + " \"timestamp\": \"2024-01-01T00:00:00Z\", \"modelPath\": \"s3://models/model\","
                + " \"outputPath\": \"s3://models/out\", \"plan\": " + plan + "}";
    }
}
