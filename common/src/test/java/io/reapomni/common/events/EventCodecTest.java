package io.reapomni.common.events;

import io.reapomni.common.plan.PruningPlan;
import org.junit.jupiter.api.Test;

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
                .replace("\"outputPath\": \"s3://b/out\"", "\"outputPath\": \"s3://b/out\", \"outputPath\": \"s3://b/x\"");
        String duplicatedInPlan = planReady("job-1",
                "{\"schemaVersion\": 1, \"layers\": {\"thinker\": [0, 1]}, \"layers\": {\"thinker\": [0]}}");

        assertThatThrownBy(() -> EventCodec.decode(duplicatedOutput, PlanReady.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("Duplicate field 'outputPath'");
        assertThatThrownBy(() -> EventCodec.decode(duplicatedInPlan, PlanReady.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("Duplicate field 'layers'");
    }

    @Test
    void aPlanWrittenBeforeJobsWereEvaluatedReadsWithoutAnEvaluation() throws Exception {
        PlanReady event = EventCodec.decode(planReady("job-1", "{\"schemaVersion\": 1}"), PlanReady.class);

        assertThat(event.evaluation()).isEmpty();
        assertThatThrownBy(() -> EventCodec.decode(planReady("job-1", "{\"schemaVersion\": 1}")
                .replace(" \"modelPath\": \"s3://b/model\",", ""), PlanReady.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("modelPath");
    }

    @Test
    void aValidEventReadsBackEqual() throws Exception {
        PlanReady event = PlanReady.of("job-1", "s3://b/model", "s3://b/out", PruningPlan.empty());

        assertThat(EventCodec.decode(EventCodec.encode(event), PlanReady.class)).isEqualTo(event);
    }

    private static String planReady(String jobId, String plan) {
        return "{\"type\": \"PlanReady\", \"jobId\": \"" + jobId + "\", \"schemaVersion\": 1,"
                + " \"timestamp\": \"2024-01-01T00:00:00Z\", \"modelPath\": \"s3://b/model\","
                + " \"outputPath\": \"s3://b/out\", \"plan\": " + plan + "}";
    }
}
