package io.reapomni.calibrationservice;

import io.reapomni.calibration.data.MediaLimits;
import io.reapomni.calibration.model.ComputeDevice;
import io.reapomni.calibration.model.ComputeOptions;
import io.reapomni.calibration.model.ComputePrecision;
import io.reapomni.service.ConfigChecks;

import java.util.Locale;

/**
 * The worker's configuration checked and in the engine's terms: where and in what precision the thinker runs, what
 * one sample's media may cost, how many samples a task may ask for, and how many bytes of decoded layers an evaluation
 * keeps on the device. A value out of range is refused naming its variable.
 */
record WorkerSettings(ComputeOptions compute, MediaLimits media, int maxTaskSamples, long residentWeightBytes) {

    /** @throws IllegalArgumentException naming the setting that is out of range, and what it takes */
    static WorkerSettings of(WorkerConfig config) {
        WorkerConfig.Calibration calibration = config.calibration();
        MediaLimits media = new MediaLimits(
                ConfigChecks.positive("reap.calibration.max-audio-duration", calibration.maxAudioDuration()),
                ConfigChecks.atLeast("reap.calibration.max-video-frames", calibration.maxVideoFrames(), 1),
                ConfigChecks.positive("reap.calibration.tool-timeout", calibration.toolTimeout()),
                ConfigChecks.atLeast("reap.calibration.max-media-bytes", calibration.maxMediaBytes().asLongValue(), 1));
        return new WorkerSettings(compute(calibration.device(), calibration.dtype(), calibration.deviceBatch()), media,
                ConfigChecks.atLeast("reap.calibration.max-task-samples", calibration.maxTaskSamples(), 1),
                ConfigChecks.atLeast("reap.evaluation.resident-weights",
                        config.evaluation().residentWeights().asLongValue(), 0));
    }

    /** @throws IllegalArgumentException naming the setting and the values it takes */
    static ComputeOptions compute(String device, String dtype, int deviceTokens) {
        return new ComputeOptions(
                parse(ComputeDevice.class, device, "reap.calibration.device"),
                parse(ComputePrecision.class, dtype, "reap.calibration.dtype"),
                ConfigChecks.atLeast("reap.calibration.device-batch", deviceTokens, 1));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String key) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(ConfigChecks.setting(key) + " is \"" + value + "\"; it takes " + allowed);
    }
}
