package io.reapomni.common.storage;

/**
 * The most bytes reap-omni buffers from one object of each kind ({@link ObjectStore#readAll}), so that a mislabelled
 * or hostile blob is refused before it is read. A safetensors header has its own limit, where it is parsed
 * ({@code SafetensorsHeaderReader.MAX_HEADER_LENGTH}).
 */
public final class ReadLimits {
    /**
     * A model's small JSON files ({@code config.json}, {@code generation_config.json}, the preprocessor configs):
     * tens of KB in the full Qwen3-Omni.
     */
    public static final long MODEL_JSON_BYTES = 1L << 20;
    /** {@code model.safetensors.index.json}: 2.5 MB for the full model's 28,010 tensors. */
    public static final long INDEX_BYTES = 32L << 20;
    /** {@code tokenizer.json}: 11 MB for the full model's 151,936 tokens. */
    public static final long TOKENIZER_BYTES = 256L << 20;
    /** A manifest, report or quality record that reap-omni wrote itself: kilobytes, a score table at most. */
    public static final long REPORT_BYTES = 64L << 20;

    private ReadLimits() {
    }
}
