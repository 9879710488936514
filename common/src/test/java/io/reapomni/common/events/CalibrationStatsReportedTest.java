package io.reapomni.common.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.CosineStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CalibrationStatsReportedTest {

    private static final CalibrationStats STATS = CalibrationStats.of(Modality.AUDIO,
            new ModalityStats(1, 4, List.of(new SkippedSample("x", "missing file")),
                    List.of(new ExpertLayerStats(0, new double[] {1.25, 0}, new long[] {2, 0},
                            new double[] {0.5, 0})),
                    List.of(new CosineStats(0, 1, 3.5, 4))));

    @Test
    void theEventCarriesTheStatisticsFileAsItIsAndReadsBackEqual() throws Exception {
        CalibrationStatsReported event = new CalibrationStatsReported("job-1", JobEvent.SCHEMA_VERSION,
                Instant.parse("2024-01-01T00:00:00Z"), "job-1:audio:0", 2, STATS);

        String json = EventCodec.encode(event);

        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(json).get("stats")).isEqualTo(mapper.readTree(STATS.toJson()));
        assertThat(EventCodec.decode(json, CalibrationStatsReported.class)).isEqualTo(event);
    }

    /** The job id is still known, so that the consumer can fail the job rather than leave it waiting. */
    @Test
    void unreadableStatisticsMakeTheEventMalformedAndNameTheJob() {
        String json = "{\"type\": \"CalibrationStatsReported\", \"jobId\": \"job-1\", \"schemaVersion\": 1,"
                + " \"timestamp\": \"2024-01-01T00:00:00Z\", \"taskId\": \"a\", \"tasks\": 2,"
                + " \"stats\": {\"modalities\": 3}}";

        assertThatThrownBy(() -> EventCodec.decode(json, CalibrationStatsReported.class))
                .isInstanceOfSatisfying(MalformedEventException.class,
                        e -> assertThat(e.jobId()).contains("job-1"));
    }
}
