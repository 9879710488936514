package io.reapomni.calibration.audio;

/**
 * A forward discrete Fourier transform of one fixed length by recursive mixed-radix Cooley–Tukey decimation in time.
 *
 * <p>Why not radix 2: Whisper's n_fft is 400 = 2^4 · 5^2, and zero-padding to 512 would change the spectrum. Each
 * stage splits by the length's smallest prime factor and combines with a direct DFT of that size, so any length
 * works, and lengths made of small primes cost O(n · Σ factors) instead of O(n²).
 */
public final class MixedRadixFft {
    private final int size;
    private final double[] cosTable;
    private final double[] sinTable;

    public MixedRadixFft(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("transform size must be positive, not " + size);
        }
        this.size = size;
        this.cosTable = new double[size];
        this.sinTable = new double[size];
        for (int k = 0; k < size; k++) {
            double angle = -2 * Math.PI * k / size;
            cosTable[k] = Math.cos(angle);
            sinTable[k] = Math.sin(angle);
        }
    }

    public int size() {
        return size;
    }

    /**
     * X[k] = Σ_t x[t] · e^(−2πi·k·t/n) for the complex input (real, imag), written into (outReal, outImag).
     */
    public void transform(double[] real, double[] imag, double[] outReal, double[] outImag) {
        if (real.length != size || imag.length != size || outReal.length != size || outImag.length != size) {
            throw new IllegalArgumentException("all arrays must have the transform size " + size);
        }
        transform(real, imag, 0, 1, size, outReal, outImag, 0);
    }

    private void transform(double[] real, double[] imag, int offset, int stride, int length,
                           double[] outReal, double[] outImag, int outOffset) {
        if (length == 1) {
            outReal[outOffset] = real[offset];
            outImag[outOffset] = imag[offset];
            return;
        }
        int radix = smallestFactor(length);
        int subLength = length / radix;
        for (int r = 0; r < radix; r++) {
            transform(real, imag, offset + r * stride, stride * radix, subLength, outReal, outImag,
                    outOffset + r * subLength);
        }
        int twiddleStep = size / length;
        double[] gatheredReal = new double[radix];
        double[] gatheredImag = new double[radix];
        for (int k = 0; k < subLength; k++) {
            for (int r = 0; r < radix; r++) {
                gatheredReal[r] = outReal[outOffset + r * subLength + k];
                gatheredImag[r] = outImag[outOffset + r * subLength + k];
            }
            for (int q = 0; q < radix; q++) {
                int bin = k + q * subLength;
                double sumReal = 0;
                double sumImag = 0;
                for (int r = 0; r < radix; r++) {
                    int index = (int) ((long) twiddleStep * r * bin % size);
                    double c = cosTable[index];
                    double s = sinTable[index];
                    sumReal += gatheredReal[r] * c - gatheredImag[r] * s;
                    sumImag += gatheredReal[r] * s + gatheredImag[r] * c;
                }
                outReal[outOffset + bin] = sumReal;
                outImag[outOffset + bin] = sumImag;
            }
        }
    }

    private static int smallestFactor(int n) {
        for (int p = 2; (long) p * p <= n; p++) {
            if (n % p == 0) {
                return p;
            }
        }
        return n;
    }
}
