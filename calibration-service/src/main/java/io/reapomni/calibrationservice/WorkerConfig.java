package io.reapomni.calibrationservice;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/**
 * The calibration worker's own settings, typed: {@code application.properties} gives the defaults and names the
 * environment variables that set them ({@code REAP_CALIBRATION_*}, {@code REAP_EVALUATION_RESIDENT_WEIGHTS});
 * {@link WorkerSettings} checks them. The settings every service shares are service-support's {@code ServiceConfig}.
 */
@ConfigMapping(prefix = "reap")
public interface WorkerConfig {

    Calibration calibration();

    Evaluation evaluation();

    interface Calibration {
        /** {@code cpu} or {@code gpu}. */
        String device();

        /** {@code float32} or {@code float16}: the precision of the weights and matrix products. */
        String dtype();

        /** Tokens of the residual stream on the device at once. */
        int deviceBatch();

        Duration maxAudioDuration();

        int maxVideoFrames();

        /** How long one run of ffmpeg or ffprobe may take. */
        Duration toolTimeout();

        /** The most bytes of media one sample may name in a store. */
        MemorySize maxMediaBytes();

        /** The most samples one task may ask for. */
        int maxTaskSamples();
    }

    interface Evaluation {
        /** Decoded decoder layers up to this size stay on the device between generated tokens. */
        MemorySize residentWeights();
    }
}
