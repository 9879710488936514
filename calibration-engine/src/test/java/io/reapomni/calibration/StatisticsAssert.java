package io.reapomni.calibration;

import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.calibration.CosineStats;
import io.reapomni.common.calibration.ExpertLayerStats;
import io.reapomni.common.calibration.ModalityStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Two sets of statistics the same up to the order of float64 additions: counts, samples, tokens and skipped samples
 * equal, sums within a relative tolerance.
 */
public final class StatisticsAssert {
    private StatisticsAssert() {
    }

    public static void assertSameStatistics(CalibrationStats actual, CalibrationStats expected, double relative) {
        assertThat(actual.modalities().keySet()).isEqualTo(expected.modalities().keySet());
        expected.modalities().forEach((name, want) -> {
            ModalityStats got = actual.modalities().get(name);
            assertThat(got.samples()).as("%s samples", name).isEqualTo(want.samples());
            assertThat(got.tokens()).as("%s tokens", name).isEqualTo(want.tokens());
            assertThat(got.skipped()).as("%s skipped", name).containsExactlyInAnyOrderElementsOf(want.skipped());
            assertThat(got.experts()).as("%s expert layers", name).hasSameSizeAs(want.experts());
            for (int i = 0; i < want.experts().size(); i++) {
                ExpertLayerStats a = got.experts().get(i);
                ExpertLayerStats b = want.experts().get(i);
                assertThat(a.layer()).isEqualTo(b.layer());
                assertThat(a.routedCount()).as("%s layer %d routed counts", name, b.layer())
                        .containsExactly(b.routedCount());
                for (int e = 0; e < b.routedCount().length; e++) {
                    assertClose(a.saliencySum()[e], b.saliencySum()[e], relative,
                            name + " layer " + b.layer() + " saliency of expert " + e);
                    assertClose(a.gateWeightSum()[e], b.gateWeightSum()[e], relative,
                            name + " layer " + b.layer() + " gate sum of expert " + e);
                }
            }
            assertThat(got.cosine()).as("%s cosine entries", name).hasSameSizeAs(want.cosine());
            for (int i = 0; i < want.cosine().size(); i++) {
                CosineStats a = got.cosine().get(i);
                CosineStats b = want.cosine().get(i);
                assertThat(a.layer()).isEqualTo(b.layer());
                assertThat(a.offset()).isEqualTo(b.offset());
                assertThat(a.tokens()).isEqualTo(b.tokens());
                assertClose(a.sum(), b.sum(), relative, name + " cosine " + b.layer() + "+" + b.offset());
            }
        });
    }

    private static void assertClose(double actual, double expected, double relative, String what) {
        assertThat(actual).as(what).isCloseTo(expected, within(relative * Math.max(Math.abs(expected), 1e-300)));
    }
}
