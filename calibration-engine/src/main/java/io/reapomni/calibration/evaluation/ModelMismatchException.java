package io.reapomni.calibration.evaluation;

/**
 * The model given as pruned cannot be compared with the original: it is not derived from it (another vocabulary,
 * width, attention shape, tokenizer or audio tower), so their next-token distributions do not speak about the same
 * tokens. Nothing was run.
 */
public class ModelMismatchException extends Exception {
    public ModelMismatchException(String message) {
        super(message);
    }
}
