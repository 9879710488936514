package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.plan.ScoringEvidence.BlockScore;
import io.reapomni.common.plan.ScoringEvidence.BlockStatus;
import io.reapomni.common.plan.ScoringEvidence.ExpertScore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScoreTablesTest {

    private static final ScoringEvidence EVIDENCE = new ScoringEvidence("thinker",
            List.of(new ScoringEvidence.ModalityData("audio", 3, 120,
                    List.of(new ScoringEvidence.SkippedSample("clip-9", "not a WAV file")))),
            Optional.of(new ScoringEvidence.ExpertScores(SaliencyNormalization.REAP, 1, 1, 0.5, 1,
                    "A = S1 (no mixed data, so λ·ReLU(S3 − β·S2) is 0)",
                    List.of(new ScoringEvidence.LayerExperts(2, List.of(
                            new ExpertScore(0, 0.25, 0, 0, 0.25, false),
                            new ExpertScore(1, 0.5, 0, 0, 0.5, true)))))),
            Optional.of(new ScoringEvidence.LayerScores("audio", 1, 0.9, 1, 1, 1,
                    List.of(new BlockScore(0, 0, 0.99, BlockStatus.PROTECTED),
                            new BlockScore(1, 1, 0.95, BlockStatus.CHOSEN)),
                    List.of(1))));

    @Test
    void evidenceSurvivesThePlansJson() {
        assertThat(ScoringEvidence.fromPlanEvidence(EVIDENCE.toPlanEvidence())).contains(EVIDENCE);
    }

    @Test
    void aPlanWithoutScoresHasNoEvidenceAndBrokenEvidenceIsNamed() {
        assertThat(ScoringEvidence.fromPlanEvidence(JsonNodeFactory.instance.objectNode())).isEmpty();
        assertThatThrownBy(() -> ScoringEvidence.fromPlanEvidence(
                JsonNodeFactory.instance.objectNode().put("scoring", "edited by hand")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evidence.scoring");
    }

    @Test
    void tablesShowDataExpertsRankedByAffinityAndBlocks() {
        String tables = ScoreTables.render(EVIDENCE);

        assertThat(tables)
                .contains("| audio | 3 | 120 | 1 |")
                .contains("- audio `clip-9`: not a WAV file")
                .contains("A = S1 (no mixed data")
                .contains("kept: 1; dropped: 0")
                .contains("| 1 | 1 | 0.500000 | 0.00000 | 0.00000 | 0.500000 | yes |")
                .contains("| 2 | 0 | 0.250000 | 0.00000 | 0.00000 | 0.250000 | no |")
                .contains("| 1 | 0.950000 | chosen |")
                .contains("| 0 | 0.990000 | protected |")
                .contains("- dropped layers: 1");
    }
}
