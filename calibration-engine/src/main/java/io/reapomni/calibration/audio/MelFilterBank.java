package io.reapomni.calibration.audio;

/**
 * Triangular mel filters on the Slaney mel scale with Slaney area normalisation, as transformers'
 * {@code audio_utils.mel_filter_bank(norm="slaney", mel_scale="slaney")} builds them for Whisper.
 *
 * <p>The Slaney scale is linear below 1 kHz (3 mels per 200 Hz) and logarithmic above (27 mels per factor 6.4).
 * Filter centres are equally spaced in mels between the minimum and maximum frequency, the FFT bins sit at
 * k · (sampleRate/2) / (bins − 1), and each filter is scaled by 2 / (its upper edge − its lower edge) in Hz so that
 * filters carry roughly equal energy.
 */
public final class MelFilterBank {
    private static final double LINEAR_HZ_PER_MEL = 200.0 / 3;
    private static final double LOG_REGION_START_HZ = 1000.0;
    private static final double LOG_REGION_START_MEL = LOG_REGION_START_HZ / LINEAR_HZ_PER_MEL;
    private static final double MELS_PER_LOG_HZ = 27.0 / Math.log(6.4);

    private final double[][] weights;

    /**
     * @param frequencyBins the one-sided spectrum's bins, n_fft/2 + 1
     * @param melBins       the number of filters
     */
    public MelFilterBank(int frequencyBins, int melBins, double minHz, double maxHz, int sampleRate) {
        if (frequencyBins < 2 || melBins < 1 || minHz < 0 || maxHz <= minHz) {
            throw new IllegalArgumentException("invalid mel filter bank: " + frequencyBins + " bins, " + melBins
                    + " filters, " + minHz + " to " + maxHz + " Hz");
        }
        double[] edges = new double[melBins + 2];
        double minMel = hertzToMel(minHz);
        double maxMel = hertzToMel(maxHz);
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHertz(minMel + (maxMel - minMel) * i / (edges.length - 1));
        }
        this.weights = new double[melBins][frequencyBins];
        for (int mel = 0; mel < melBins; mel++) {
            double lower = edges[mel];
            double centre = edges[mel + 1];
            double upper = edges[mel + 2];
            double areaNorm = 2.0 / (upper - lower);
            for (int bin = 0; bin < frequencyBins; bin++) {
                double hz = (sampleRate / 2.0) * bin / (frequencyBins - 1);
                double rising = (hz - lower) / (centre - lower);
                double falling = (upper - hz) / (upper - centre);
                weights[mel][bin] = Math.max(0, Math.min(rising, falling)) * areaNorm;
            }
        }
    }

    public int melBins() {
        return weights.length;
    }

    public int frequencyBins() {
        return weights[0].length;
    }

    public double weight(int mel, int bin) {
        return weights[mel][bin];
    }

    /** The filters applied to one power spectrum. */
    public double[] apply(double[] powerSpectrum) {
        if (powerSpectrum.length != frequencyBins()) {
            throw new IllegalArgumentException("expected " + frequencyBins() + " bins, got " + powerSpectrum.length);
        }
        double[] energies = new double[weights.length];
        for (int mel = 0; mel < weights.length; mel++) {
            double sum = 0;
            double[] filter = weights[mel];
            for (int bin = 0; bin < filter.length; bin++) {
                sum += filter[bin] * powerSpectrum[bin];
            }
            energies[mel] = sum;
        }
        return energies;
    }

    static double hertzToMel(double hz) {
        if (hz < LOG_REGION_START_HZ) {
            return hz / LINEAR_HZ_PER_MEL;
        }
        return LOG_REGION_START_MEL + Math.log(hz / LOG_REGION_START_HZ) * MELS_PER_LOG_HZ;
    }

    static double melToHertz(double mel) {
        if (mel < LOG_REGION_START_MEL) {
            return mel * LINEAR_HZ_PER_MEL;
        }
        return LOG_REGION_START_HZ * Math.exp((mel - LOG_REGION_START_MEL) / MELS_PER_LOG_HZ);
    }
}
