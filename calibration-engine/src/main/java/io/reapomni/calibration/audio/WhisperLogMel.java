package io.reapomni.calibration.audio;

/**
 * Whisper-style log-mel features as transformers' {@code WhisperFeatureExtractor} computes them for Qwen3-Omni
 * (feature_size 128, sampling_rate 16000, hop_length 160, n_fft 400), padded to the longest clip only, so one clip
 * is neither padded to 30 s nor truncated.
 *
 * <p>The steps, each as transformers does them: reflect-pad n_fft/2 samples at both ends (the STFT's centring),
 * frame every hop, multiply by a periodic Hann window, take the power spectrum |X|², apply the Slaney mel filters
 * over 0–8000 Hz, drop the last frame, take log10(max(x, 1e-10)), raise everything to at least (the clip's maximum
 * − 8), then map x to (x + 4) / 4. Arithmetic is in float64 and the result float32, which stays within about 2e-5
 * of transformers' float32 computation.
 */
public final class WhisperLogMel {
    public static final int SAMPLE_RATE = 16_000;
    public static final int MEL_BINS = 128;
    public static final int HOP_LENGTH = 160;
    public static final int FFT_SIZE = 400;

    private static final double MEL_FLOOR = 1e-10;
    private static final double DYNAMIC_RANGE_LOG10 = 8.0;
    private static final int PAD = FFT_SIZE / 2;

    private final MixedRadixFft fft = new MixedRadixFft(FFT_SIZE);
    private final MelFilterBank filters = new MelFilterBank(FFT_SIZE / 2 + 1, MEL_BINS, 0.0, 8000.0, SAMPLE_RATE);
    private final double[] window = periodicHann(FFT_SIZE);

    /** Frames for a clip of n samples: n / hop (the centred STFT gives one more, which is dropped). */
    public static int frameCount(int samples) {
        return samples / HOP_LENGTH;
    }

    /**
     * @throws IllegalArgumentException for audio other than 16 kHz, or too short to reflect-pad (torch.stft refuses
     *                                  such clips as well) or to give a single frame
     */
    public AudioFeatures extract(MonoAudio audio) {
        if (audio.sampleRate() != SAMPLE_RATE) {
            throw new IllegalArgumentException("log-mel features need " + SAMPLE_RATE + " Hz audio, not "
                    + audio.sampleRate() + " Hz");
        }
        double[] samples = audio.samples();
        if (samples.length <= PAD) {
            throw new IllegalArgumentException("the audio has " + samples.length + " samples; at least " + (PAD + 1)
                    + " (" + (PAD + 1) * 1000.0 / SAMPLE_RATE + " ms) are needed");
        }
        int frames = frameCount(samples.length);
        double[][] logMel = new double[frames][];
        double maximum = Double.NEGATIVE_INFINITY;
        double[] frameReal = new double[FFT_SIZE];
        double[] frameImag = new double[FFT_SIZE];
        double[] spectrumReal = new double[FFT_SIZE];
        double[] spectrumImag = new double[FFT_SIZE];
        double[] power = new double[FFT_SIZE / 2 + 1];
        for (int frame = 0; frame < frames; frame++) {
            int start = frame * HOP_LENGTH - PAD;
            for (int t = 0; t < FFT_SIZE; t++) {
                frameReal[t] = reflected(samples, start + t) * window[t];
            }
            fft.transform(frameReal, frameImag, spectrumReal, spectrumImag);
            for (int bin = 0; bin < power.length; bin++) {
                power[bin] = spectrumReal[bin] * spectrumReal[bin] + spectrumImag[bin] * spectrumImag[bin];
            }
            double[] energies = filters.apply(power);
            for (int mel = 0; mel < energies.length; mel++) {
                energies[mel] = Math.log10(Math.max(energies[mel], MEL_FLOOR));
                maximum = Math.max(maximum, energies[mel]);
            }
            logMel[frame] = energies;
        }
        double floor = maximum - DYNAMIC_RANGE_LOG10;
        float[] values = new float[MEL_BINS * frames];
        for (int frame = 0; frame < frames; frame++) {
            for (int mel = 0; mel < MEL_BINS; mel++) {
                values[mel * frames + frame] = (float) ((Math.max(logMel[frame][mel], floor) + 4.0) / 4.0);
            }
        }
        return new AudioFeatures(MEL_BINS, frames, values);
    }

    /** numpy/torch "reflect" padding: the edge sample is not repeated. */
    private static double reflected(double[] samples, int index) {
        if (index < 0) {
            return samples[-index];
        }
        if (index >= samples.length) {
            return samples[2 * (samples.length - 1) - index];
        }
        return samples[index];
    }

    /** The periodic Hann window (torch.hann_window's default), the symmetric window of n + 1 points without the last. */
    private static double[] periodicHann(int length) {
        double[] window = new double[length];
        for (int t = 0; t < length; t++) {
            window[t] = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / length);
        }
        return window;
    }
}
