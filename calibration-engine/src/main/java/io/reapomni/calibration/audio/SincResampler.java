package io.reapomni.calibration.audio;

/**
 * Band-limited sample-rate conversion by a Kaiser-windowed sinc, evaluated as a polyphase filter.
 *
 * <p>Why this design: the rate ratio is rational (out/in = L/M after dividing by their gcd), so output sample n sits
 * at input position n·M/L, whose fractional part takes only L values. One windowed-sinc kernel per fraction is
 * computed once (L ≤ the target rate, at most 16000 phases) and every output sample is then a plain dot product,
 * which is exact band-limited interpolation up to the window's error, unlike linear or cubic interpolation. The
 * low-pass cut-off is 0.95 of the lower Nyquist frequency, the kernel spans 32 zero crossings on each side and the
 * Kaiser window has β = 9 (stop band about −90 dB), so a tone well inside the pass band keeps its amplitude to about
 * 1e-4 and nothing above the new Nyquist frequency folds back. Samples beyond either end of the input count as zero.
 */
public final class SincResampler {
    private static final double ROLLOFF = 0.95;
    private static final int ZERO_CROSSINGS = 32;
    private static final double KAISER_BETA = 9.0;

    private final int inputRate;
    private final int outputRate;
    private final int upFactor;
    private final int downFactor;
    private final int firstTapOffset;
    private final double[][] phaseKernels;

    public SincResampler(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inputRate + " -> " + outputRate);
        }
        this.inputRate = inputRate;
        this.outputRate = outputRate;
        int gcd = gcd(inputRate, outputRate);
        this.upFactor = outputRate / gcd;
        this.downFactor = inputRate / gcd;
        // Cut-off as a fraction of the input Nyquist frequency: downsampling must also remove what the output
        // cannot represent.
        double cutoff = ROLLOFF * Math.min(1.0, (double) outputRate / inputRate);
        double halfWidth = ZERO_CROSSINGS / cutoff;
        this.firstTapOffset = (int) Math.ceil(halfWidth);
        int taps = 2 * firstTapOffset + 1;
        double besselAtBeta = besselI0(KAISER_BETA);
        this.phaseKernels = new double[upFactor][taps];
        for (int phase = 0; phase < upFactor; phase++) {
            double fraction = (double) phase / upFactor;
            for (int tap = 0; tap < taps; tap++) {
                double distance = fraction - (tap - firstTapOffset);
                phaseKernels[phase][tap] = cutoff * sinc(cutoff * distance)
                        * kaiser(distance / halfWidth, besselAtBeta);
            }
        }
    }

    /** round(n · outputRate / inputRate) output samples for n input samples. */
    public int outputLength(int inputLength) {
        long numerator = (long) inputLength * outputRate;
        return Math.toIntExact((2 * numerator + inputRate) / (2L * inputRate));
    }

    public double[] resample(double[] input) {
        double[] output = new double[outputLength(input.length)];
        if (inputRate == outputRate) {
            System.arraycopy(input, 0, output, 0, input.length);
            return output;
        }
        for (int n = 0; n < output.length; n++) {
            long position = (long) n * downFactor;
            int whole = Math.toIntExact(position / upFactor);
            double[] kernel = phaseKernels[(int) (position % upFactor)];
            int first = whole - firstTapOffset;
            int tapFrom = Math.max(0, -first);
            int tapTo = Math.min(kernel.length, input.length - first);
            double sum = 0;
            for (int tap = tapFrom; tap < tapTo; tap++) {
                sum += kernel[tap] * input[first + tap];
            }
            output[n] = sum;
        }
        return output;
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1.0;
        }
        double pix = Math.PI * x;
        return Math.sin(pix) / pix;
    }

    private static double kaiser(double relative, double besselAtBeta) {
        if (Math.abs(relative) > 1) {
            return 0;
        }
        return besselI0(KAISER_BETA * Math.sqrt(1 - relative * relative)) / besselAtBeta;
    }

    /** The modified Bessel function of the first kind, order 0, by its power series (converges fast for β ≤ 20). */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double quarterSquare = x * x / 4;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= quarterSquare / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
