package io.reapomni.scoring.score;

import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.plan.PlanValidator;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.ScoringEvidence;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.testing.TestJobs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plan from the fixture's reference statistics (computed by transformers) is the one the method defines. The
 * expected experts are computed here straight from the reference arrays, and a few layers are checked by hand.
 */
class CalibratedPlannerFixtureTest {

    private static ReferenceStatistics reference;
    private static CalibrationStats statistics;
    private static Checkpoint checkpoint;
    private static LocalObjectStore model;

    @BeforeAll
    static void readReference() throws IOException {
        reference = new ReferenceStatistics();
        statistics = reference.statistics();
        model = new LocalObjectStore(ReferenceStatistics.FIXTURE.resolve("model"));
        checkpoint = Checkpoint.open(model);
    }

    @AfterAll
    static void close() {
        reference.close();
        model.close();
    }

    @Test
    void keepsTheTopHalfOfEveryLayerByAudioAffinity() throws Exception {
        PruningPlan plan = CalibratedPlanner.plan(checkpoint, request(0.5, 1.0, 0, SaliencyNormalization.REAP),
                PruningPlan.empty(), statistics).plan();

        SortedMap<Integer, List<Integer>> kept = plan.expertsOf(MoeStack.THINKER).orElseThrow();
        assertThat(kept).isEqualTo(expectedKept(List.of(0, 1, 2, 3, 4, 5), 1.0, 4, "routed"));
        // by hand from the README's arrays: in layer 1 the mixed term lifts expert 2 (S1 .0046 + .0005) over
        // expert 3 (S1 .0048, no mixed term); in layer 3 expert 6 has no audio token but a mixed one
        assertThat(kept.get(1)).containsExactly(0, 1, 2, 4);
        assertThat(kept.get(2)).containsExactly(1, 3, 4, 5);
        assertThat(kept.get(3)).containsExactly(0, 2, 6, 7);
        assertThat(plan.layers()).isEmpty();
        PlanValidator.validate(plan, checkpoint);
    }

    @Test
    void withoutTheMixedTermLayerOneKeepsTheAudioTopFour() throws Exception {
        PruningPlan plan = CalibratedPlanner.plan(checkpoint, request(0.5, 0.0, 0, SaliencyNormalization.REAP),
                PruningPlan.empty(), statistics).plan();

        assertThat(plan.expertsOf(MoeStack.THINKER).orElseThrow().get(1)).containsExactly(0, 1, 3, 4);
        assertThat(plan.expertsOf(MoeStack.THINKER).orElseThrow())
                .isEqualTo(expectedKept(List.of(0, 1, 2, 3, 4, 5), 0.0, 4, "routed"));
    }

    @Test
    void allTokensNormalizationRanksBySumOverTheDataSetsTokens() throws Exception {
        PruningPlan plan = CalibratedPlanner.plan(checkpoint, request(0.5, 1.0, 0, SaliencyNormalization.ALL_TOKENS),
                PruningPlan.empty(), statistics).plan();

        assertThat(plan.expertsOf(MoeStack.THINKER).orElseThrow())
                .isEqualTo(expectedKept(List.of(0, 1, 2, 3, 4, 5), 1.0, 4, "all"));
    }

    @Test
    void dropsTheMostSimilarAudioLayersAndScoresExpertsOnlyInTheLayersThatStay() throws Exception {
        // audio mean cosine of single layers (README's P.mean_token_cosine[:, 0]): 1 .812, 2 .811, 3 .795, 4 .897;
        // layer 0 and 5 protected, threshold 0.8, two layers at most: 4 and 1 go
        PruningPlan plan = CalibratedPlanner.plan(checkpoint, request(0.5, 1.0, 2, SaliencyNormalization.REAP),
                PruningPlan.empty(), statistics).plan();

        assertThat(plan.keptLayersOf(MoeStack.THINKER)).contains(List.of(0, 2, 3, 5));
        assertThat(plan.expertsOf(MoeStack.THINKER).orElseThrow())
                .isEqualTo(expectedKept(List.of(0, 2, 3, 5), 1.0, 4, "routed"));
        ScoringEvidence evidence = ScoringEvidence.fromPlanEvidence(plan.evidence()).orElseThrow();
        assertThat(evidence.layers().orElseThrow().droppedLayers()).containsExactly(1, 4);
        assertThat(evidence.experts().orElseThrow().layers()).extracting(ScoringEvidence.LayerExperts::layer)
                .containsExactly(0, 2, 3, 5);
        assertThat(evidence.experts().orElseThrow().affinity()).isEqualTo("A = S1 + λ·ReLU(S3 − β·S2)");
        assertThat(evidence.calibrationData()).extracting(ScoringEvidence.ModalityData::tokens)
                .containsExactly(31L, 21L, 41L);
        PlanValidator.validate(plan, checkpoint);
    }

    @Test
    void withAudioDataOnlyTheAffinityIsTheAudioSaliencyAndTheEvidenceSaysSo() throws Exception {
        CalibrationStats audioOnly = CalibrationStats.of(Modality.AUDIO,
                statistics.modality(Modality.AUDIO).orElseThrow());

        PruningPlan plan = CalibratedPlanner.plan(checkpoint, request(0.5, 1.0, 0, SaliencyNormalization.REAP),
                PruningPlan.empty(), audioOnly).plan();

        assertThat(plan.expertsOf(MoeStack.THINKER).orElseThrow())
                .isEqualTo(expectedKept(List.of(0, 1, 2, 3, 4, 5), 0.0, 4, "routed"));
        ScoringEvidence.ExpertScores scores = ScoringEvidence.fromPlanEvidence(plan.evidence()).orElseThrow()
                .experts().orElseThrow();
        assertThat(scores.affinity()).startsWith("A = S1 (no mixed data");
        assertThat(scores.layers().get(0).experts()).allSatisfy(score -> {
            assertThat(score.s2()).isZero();
            assertThat(score.s3()).isZero();
            assertThat(score.affinity()).isEqualTo(score.s1());
        });
    }

    @Test
    void refusesARetentionThatKeepsFewerExpertsThanTheRouterPicks() {
        // 8 experts, top-2: round(0.15 · 8) = 1
        assertThatThrownBy(() -> CalibratedPlanner.plan(checkpoint, request(0.15, 1.0, 0, SaliencyNormalization.REAP),
                PruningPlan.empty(), statistics))
                .isInstanceOf(ScoringException.class)
                .hasMessageContaining("keeps 1 of 8 experts")
                .hasMessageContaining("num_experts_per_tok");
    }

    @Test
    void refusesAJobWhoseAudioSamplesWereAllSkipped() {
        assertThatThrownBy(() -> CalibratedPlanner.plan(checkpoint, request(0.5, 1.0, 0, SaliencyNormalization.REAP),
                PruningPlan.empty(), CalibrationStats.empty()))
                .isInstanceOf(ScoringException.class)
                .hasMessageStartingWith("no usable audio sample");
    }

    /**
     * The top {@code keep} experts of each layer by S1 + λ·max(0, S3 − S2), counting for each expert how many others
     * beat it (higher affinity, or equal and a lower id): independent of the sort the planner uses.
     */
    private static SortedMap<Integer, List<Integer>> expectedKept(List<Integer> layers, double lambda, int keep,
                                                                  String normalization) throws IOException {
        SortedMap<Integer, List<Integer>> kept = new TreeMap<>();
        for (int layer : layers) {
            double[] s1 = saliency("audio", layer, normalization);
            double[] s2 = saliency("video", layer, normalization);
            double[] s3 = saliency("mixed", layer, normalization);
            List<Integer> ids = new ArrayList<>();
            for (int e = 0; e < s1.length; e++) {
                double mine = s1[e] + lambda * Math.max(0, s3[e] - s2[e]);
                int beatenBy = 0;
                for (int f = 0; f < s1.length; f++) {
                    double theirs = s1[f] + lambda * Math.max(0, s3[f] - s2[f]);
                    if (theirs > mine || (theirs == mine && f < e)) {
                        beatenBy++;
                    }
                }
                if (beatenBy < keep) {
                    ids.add(e);
                }
            }
            kept.put(layer, ids);
        }
        return kept;
    }

    private static double[] saliency(String prefix, int layer, String normalization) throws IOException {
        double[] sum = reference.array(prefix + ".layer" + layer + ".saliency_sum");
        double[] count = reference.array(prefix + ".layer" + layer + ".routed_count");
        double[] saliency = new double[sum.length];
        for (int e = 0; e < sum.length; e++) {
            double divisor = normalization.equals("all") ? reference.tokens(prefix) : count[e];
            saliency[e] = divisor == 0 ? 0 : sum[e] / divisor;
        }
        return saliency;
    }

    private static PruneRequest request(double retention, double lambda, int maxLayers,
                                        SaliencyNormalization normalization) {
        CalibrationSettings settings = new CalibrationSettings(Map.of(Modality.AUDIO, "calib/audio.jsonl"), 8,
                OptionalDouble.of(retention), lambda, 1.0, 0.8, maxLayers, 1, 1, 1, normalization);
        return TestJobs.request("s3://models/model", "s3://models/out",
                TestJobs.choices(Set.of(), List.of(), List.of()), Optional.of(settings));
    }
}
