package io.reapomni.common.job;

/**
 * How a job evaluates the model it wrote (DESIGN.md, Quality of the result): on how many audio samples held out of
 * calibration ({@link HeldOutSamples}), and how many greedy tokens each model continues each sample with. Limited so
 * that a job's results stay a small event.
 *
 * @param samples        audio samples held out; 0 turns evaluation off
 * @param generateTokens greedy new tokens per sample and model; 0 for none
 */
public record EvaluationSettings(int samples, int generateTokens) {
    public static final int DEFAULT_SAMPLES = 8;
    public static final int DEFAULT_GENERATE_TOKENS = 8;
    public static final int MAX_SAMPLES = 64;
    public static final int MAX_GENERATE_TOKENS = 64;
    /** No evaluation. */
    public static final EvaluationSettings OFF = new EvaluationSettings(0, DEFAULT_GENERATE_TOKENS);

    public EvaluationSettings {
        if (samples < 0 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("--evaluate-samples must be between 0 (no evaluation) and "
                    + MAX_SAMPLES + ", got " + samples);
        }
        if (generateTokens < 0 || generateTokens > MAX_GENERATE_TOKENS) {
            throw new IllegalArgumentException("--generate-tokens must be between 0 and " + MAX_GENERATE_TOKENS
                    + " in a job, got " + generateTokens);
        }
    }

    public boolean enabled() {
        return samples > 0;
    }
}
