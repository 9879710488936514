package io.reapomni.strip;

import io.smallrye.config.ConfigMapping;

/**
 * The strip service's own settings, typed: {@code application.properties} gives the defaults and names the
 * environment variables that set them ({@code REAP_CALIBRATION_WORKERS}, {@code REAP_CALIBRATION_TASK_SAMPLES}).
 * The settings every service shares are service-support's {@code ServiceConfig}.
 */
@ConfigMapping(prefix = "reap")
public interface StripConfig {

    Calibration calibration();

    /** How a job's calibration is split into tasks ({@link CalibrationFanOut}). */
    interface Calibration {
        /** The calibration workers deployed, or the most an autoscaler starts: one task per worker. */
        int workers();

        /** The most samples in one task: a larger job gets more tasks than workers. */
        int taskSamples();
    }
}
