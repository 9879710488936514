package io.reapomni.calibration.data;

/** One sample that cannot be used; the message is the reason reported for it, the run goes on without it. */
public final class SampleRejectedException extends Exception {
    public SampleRejectedException(String reason) {
        super(reason);
    }

    public SampleRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
