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
    /** Input samples read at a time beyond the filter's width. */
    private static final int WINDOW_BLOCK = 16 * 1024;
    /**
     * The most filter coefficients (phases × taps) a conversion may need: 16 MiB of doubles. Every common rate needs
     * far less (44.1 kHz: 160 phases of 187 taps); a rate with no common divisor with the target (a hostile header's
     * 999,999 Hz) would need hundreds of MB.
     */
    static final long MAX_COEFFICIENTS = 2L << 20;

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
        if ((long) upFactor * taps > MAX_COEFFICIENTS) {
            throw new IllegalArgumentException("resampling " + inputRate + " Hz to " + outputRate + " Hz would need a"
                    + " filter of " + upFactor + " phases of " + taps + " taps; convert the audio to a common rate"
                    + " (16, 44.1 or 48 kHz) first");
        }
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
    public int outputLength(long inputLength) {
        long numerator = (long) inputLength * outputRate;
        return Math.toIntExact((2 * numerator + inputRate) / (2L * inputRate));
    }

    public double[] resample(double[] input) {
        try {
            return resample(SampleStream.of(input), input.length);
        } catch (AudioDecodingException e) {
            throw new IllegalStateException("an array cannot fail to be read", e);
        }
    }

    /**
     * The {@code inputLength} samples of {@code input}, resampled. Only the output and a window of the input as wide
     * as the filter (plus a block) are held, so that a long clip at a high rate costs memory at the output's rate;
     * the result is the same, value for value, as resampling the whole input at once.
     */
    public double[] resample(SampleStream input, long inputLength) throws AudioDecodingException {
        double[] output = new double[outputLength(inputLength)];
        if (inputRate == outputRate) {
            fill(input, output, 0, output.length);
            return output;
        }
        int taps = phaseKernels[0].length;
        double[] window = new double[taps + WINDOW_BLOCK];
        long windowStart = 0;
        int windowFill = 0;
        for (int n = 0; n < output.length; n++) {
            long position = (long) n * downFactor;
            long whole = position / upFactor;
            double[] kernel = phaseKernels[(int) (position % upFactor)];
            long first = whole - firstTapOffset;
            int tapFrom = (int) Math.max(0, -first);
            int tapTo = (int) Math.min(kernel.length, inputLength - first);
            long needed = first + tapTo;
            if (windowStart + windowFill < needed) {
                // Keep what this and later outputs still need (from first on), then read up to the window's end.
                int drop = (int) Math.max(0, Math.min(windowFill, first - windowStart));
                System.arraycopy(window, drop, window, 0, windowFill - drop);
                windowStart += drop;
                windowFill -= drop;
                int more = (int) Math.min(window.length - windowFill, inputLength - (windowStart + windowFill));
                fill(input, window, windowFill, more);
                windowFill += more;
            }
            double sum = 0;
            for (int tap = tapFrom; tap < tapTo; tap++) {
                sum += kernel[tap] * window[(int) (first + tap - windowStart)];
            }
            output[n] = sum;
        }
        return output;
    }

    private static void fill(SampleStream input, double[] into, int offset, int count) throws AudioDecodingException {
        for (int filled = 0; filled < count; ) {
            int read = input.read(into, offset + filled, count - filled);
            if (read < 0) {
                throw new AudioDecodingException("the audio ended " + (count - filled) + " samples early");
            }
            filled += read;
        }
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
