package io.reapomni.calibration.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SincResamplerTest {
    private static final int TARGET = 16_000;

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 22050, 24000, 32000, 44100, 48000, 96000})
    void aToneKeepsItsFrequencyAndAmplitude(int rate) {
        int length = rate * 3 / 4 + 7;
        double hz = 1000;
        double amplitude = 0.6;
        double[] input = TestWavFiles.sine(hz, amplitude, rate, length, 1)[0];

        double[] output = new SincResampler(rate, TARGET).resample(input);

        assertThat(output).hasSize((int) Math.round((double) length * TARGET / rate));
        // Away from the ends (where the signal starts and stops abruptly) the output must be the same tone sampled
        // at 16 kHz: compare with the analytic signal, which fixes the frequency, the phase and the amplitude.
        int margin = 400;
        double worst = 0;
        for (int n = margin; n < output.length - margin; n++) {
            double expected = amplitude * Math.sin(2 * Math.PI * hz * n / TARGET);
            worst = Math.max(worst, Math.abs(output[n] - expected));
        }
        assertThat(worst).isLessThan(1e-4);
        assertThat(fittedAmplitude(output, hz, margin)).isCloseTo(amplitude, within(1e-4));
    }

    @Test
    void aStreamReadOneSampleAtATimeGivesTheSameOutputAsTheWholeArray() throws Exception {
        double[] input = TestWavFiles.sine(1000, 0.6, 44_100, 50_000, 1)[0];
        SincResampler resampler = new SincResampler(44_100, TARGET);
        int[] next = {0};
        SampleStream oneByOne = (into, offset, count) -> {
            if (next[0] == input.length) {
                return -1;
            }
            into[offset] = input[next[0]++];
            return 1;
        };

        assertThat(resampler.resample(oneByOne, input.length)).containsExactly(resampler.resample(input));
    }

    @Test
    void tonesAboveTheNewNyquistFrequencyAreRemovedNotFolded() {
        // 11 kHz at 48 kHz would alias to 5 kHz at 16 kHz without a low-pass filter.
        double[] input = TestWavFiles.sine(11_000, 0.8, 48_000, 48_000, 1)[0];

        double[] output = new SincResampler(48_000, TARGET).resample(input);

        assertThat(fittedAmplitude(output, 5_000, 400)).isLessThan(1e-3);
        double peak = 0;
        for (int n = 400; n < output.length - 400; n++) {
            peak = Math.max(peak, Math.abs(output[n]));
        }
        assertThat(peak).isLessThan(1e-3);
    }

    @Test
    void theSameRateIsACopy() {
        double[] input = {0.1, -0.2, 0.3};
        assertThat(new SincResampler(TARGET, TARGET).resample(input)).containsExactly(0.1, -0.2, 0.3);
    }

    @Test
    void outputLengthRoundsToTheNearestSample() {
        assertThat(new SincResampler(44_100, TARGET).outputLength(44_100)).isEqualTo(16_000);
        // 100 · 16000 / 44100 = 36.28 -> 36; 150 · 16000 / 44100 = 54.42 -> 54; 124 · 16000 / 44100 = 44.99 -> 45
        assertThat(new SincResampler(44_100, TARGET).outputLength(100)).isEqualTo(36);
        assertThat(new SincResampler(44_100, TARGET).outputLength(150)).isEqualTo(54);
        assertThat(new SincResampler(44_100, TARGET).outputLength(124)).isEqualTo(45);
        // 3 · 16000 / 96000 = 0.5 rounds up
        assertThat(new SincResampler(96_000, TARGET).outputLength(3)).isEqualTo(1);
        assertThat(new SincResampler(8_000, TARGET).outputLength(0)).isZero();
    }

    @Test
    void ratesMustBePositive() {
        assertThatThrownBy(() -> new SincResampler(0, TARGET)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Least-squares amplitude of the component at {@code hz} over the interior of a 16 kHz signal. */
    private static double fittedAmplitude(double[] signal, double hz, int margin) {
        double sinSum = 0;
        double cosSum = 0;
        int count = 0;
        for (int n = margin; n < signal.length - margin; n++) {
            double phase = 2 * Math.PI * hz * n / TARGET;
            sinSum += signal[n] * Math.sin(phase);
            cosSum += signal[n] * Math.cos(phase);
            count++;
        }
        return 2 * Math.hypot(sinSum, cosSum) / count;
    }
}
