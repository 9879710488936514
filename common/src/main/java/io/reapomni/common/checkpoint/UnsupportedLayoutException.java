package io.reapomni.common.checkpoint;

/** A checkpoint whose tensors are laid out in a way that the requested surgery cannot handle, such as fused experts. */
public class UnsupportedLayoutException extends CheckpointException {
    public UnsupportedLayoutException(String message) {
        super(message);
    }
}
