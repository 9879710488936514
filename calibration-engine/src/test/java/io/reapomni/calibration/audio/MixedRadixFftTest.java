package io.reapomni.calibration.audio;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MixedRadixFftTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 12, 97, 400})
    void matchesTheDefinitionOfTheDft(int size) {
        Random random = new Random(size);
        double[] real = random.doubles(size, -1, 1).toArray();
        double[] imag = random.doubles(size, -1, 1).toArray();
        double[] outReal = new double[size];
        double[] outImag = new double[size];

        new MixedRadixFft(size).transform(real, imag, outReal, outImag);

        for (int k = 0; k < size; k++) {
            double expectedReal = 0;
            double expectedImag = 0;
            for (int t = 0; t < size; t++) {
                double angle = -2 * Math.PI * k * t / size;
                expectedReal += real[t] * Math.cos(angle) - imag[t] * Math.sin(angle);
                expectedImag += real[t] * Math.sin(angle) + imag[t] * Math.cos(angle);
            }
            assertThat(outReal[k]).isCloseTo(expectedReal, within(1e-9));
            assertThat(outImag[k]).isCloseTo(expectedImag, within(1e-9));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {400})
    void aCosineLandsInItsTwoBins(int size) {
        double[] real = new double[size];
        for (int t = 0; t < size; t++) {
            real[t] = Math.cos(2 * Math.PI * 25 * t / size);
        }
        double[] outReal = new double[size];
        double[] outImag = new double[size];

        new MixedRadixFft(size).transform(real, new double[size], outReal, outImag);

        for (int k = 0; k < size; k++) {
            double expected = k == 25 || k == size - 25 ? size / 2.0 : 0;
            assertThat(Math.hypot(outReal[k], outImag[k])).isCloseTo(expected, within(1e-9));
        }
    }
}
