package io.reapomni.calibration.audio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MelFilterBankTest {
    private final MelFilterBank whisper = new MelFilterBank(201, 128, 0, 8000, 16000);

    @Test
    void slaneyScaleIsLinearBelowOneKilohertzAndLogarithmicAbove() {
        assertThat(MelFilterBank.hertzToMel(200)).isCloseTo(3.0, within(1e-12));
        assertThat(MelFilterBank.hertzToMel(1000)).isCloseTo(15.0, within(1e-12));
        // 6400 Hz is one factor 6.4 above 1 kHz: 27 mels more.
        assertThat(MelFilterBank.hertzToMel(6400)).isCloseTo(42.0, within(1e-12));
        // Whisper's original code hard-codes the top of its mel range, 8 kHz, as 45.245640471924965.
        assertThat(MelFilterBank.hertzToMel(8000)).isCloseTo(45.245640471924965, within(1e-12));
        assertThat(MelFilterBank.melToHertz(MelFilterBank.hertzToMel(3456.0))).isCloseTo(3456.0, within(1e-9));
    }

    /** Values of transformers' mel_filter_bank(201, 128, 0, 8000, 16000, norm="slaney", mel_scale="slaney"). */
    @Test
    void weightsMatchTransformers() {
        assertThat(whisper.melBins()).isEqualTo(128);
        assertThat(whisper.frequencyBins()).isEqualTo(201);
        assertThat(whisper.weight(0, 0)).isZero();
        assertThat(whisper.weight(0, 1)).isCloseTo(0.012373986332636965, within(1e-12));
        assertThat(whisper.weight(1, 1)).isCloseTo(0.03039256487135522, within(1e-12));
        assertThat(whisper.weight(30, 18)).isCloseTo(0.033867553236487685, within(1e-12));
        assertThat(whisper.weight(80, 63)).isCloseTo(0.0149405469039324, within(1e-12));
        assertThat(whisper.weight(110, 130)).isCloseTo(0.006926396643965562, within(1e-12));
        assertThat(whisper.weight(127, 195)).isCloseTo(0.005041601675024642, within(1e-12));
        for (int bin = 0; bin < 201; bin++) {
            boolean inside = bin >= 191 && bin <= 199;
            assertThat(whisper.weight(127, bin) > 0).as("bin %d of the last filter", bin).isEqualTo(inside);
        }
    }

    @Test
    void wideFiltersHaveUnitAreaInHertz() {
        double binHz = 8000.0 / 200;
        for (int mel = 100; mel < 128; mel++) {
            double area = 0;
            for (int bin = 0; bin < 201; bin++) {
                area += whisper.weight(mel, bin) * binHz;
            }
            assertThat(area).as("filter %d", mel).isCloseTo(1.0, within(0.03));
        }
    }
}
