package io.reapomni.calibration.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.calibration.video.VideoProcessing;
import io.reapomni.calibration.vision.VisionConfig;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ReadLimits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's video processing: {@code video_preprocessor_config.json}, else {@code preprocessor_config.json}, from
 * the model's store, each key falling back to {@link VideoProcessing#defaults}. As in transformers' Qwen2-VL video
 * processor, {@code min_pixels}/{@code max_pixels} win over {@code size.shortest_edge}/{@code size.longest_edge}.
 * Patch, merge and temporal patch sizes must be the vision tower's own: other patches would not fit its weights.
 */
public final class VideoProcessorConfig {
    public static final List<String> FILE_NAMES = List.of("video_preprocessor_config.json", "preprocessor_config.json");

    private VideoProcessorConfig() {
    }

    public static VideoProcessing read(ObjectStore model, VisionConfig vision) throws CalibrationDataException {
        VideoProcessing defaults = VideoProcessing.defaults(vision);
        for (String fileName : FILE_NAMES) {
            try {
                if (model.exists(fileName)) {
                    return of(StrictJson.DOCUMENTS.readTree(model.readAll(fileName, ReadLimits.MODEL_JSON_BYTES)),
                            defaults, fileName);
                }
            } catch (IOException e) {
                throw new CalibrationDataException("cannot read " + model.location() + "/" + fileName + ": "
                        + e.getMessage(), e);
            }
        }
        return defaults;
    }

    static VideoProcessing of(JsonNode json, VideoProcessing defaults, String fileName)
            throws CalibrationDataException {
        if (json == null || !json.isObject()) {
            throw new CalibrationDataException(fileName + " is not a JSON object");
        }
        requireVisionSize(json, "patch_size", defaults.patchSize(), fileName);
        requireVisionSize(json, "merge_size", defaults.mergeSize(), fileName);
        requireVisionSize(json, "temporal_patch_size", defaults.temporalPatchSize(), fileName);
        try {
            return new VideoProcessing(defaults.patchSize(), defaults.mergeSize(), defaults.temporalPatchSize(),
                    json.path("fps").asDouble(defaults.framesPerSecond()),
                    pixels(json, "min_pixels", "shortest_edge", defaults.minPixels()),
                    pixels(json, "max_pixels", "longest_edge", defaults.maxPixels()),
                    channels(json.path("image_mean"), defaults.mean()),
                    channels(json.path("image_std"), defaults.std()));
        } catch (IllegalArgumentException e) {
            throw new CalibrationDataException(fileName + ": " + e.getMessage(), e);
        }
    }

    private static void requireVisionSize(JsonNode json, String key, int visionValue, String fileName)
            throws CalibrationDataException {
        JsonNode value = json.path(key);
        if (!value.isMissingNode() && !value.isNull() && value.asInt() != visionValue) {
            throw new CalibrationDataException(fileName + " says " + key + " = " + value
                    + " but the vision tower's config gives " + visionValue);
        }
    }

    private static long pixels(JsonNode json, String key, String sizeKey, long fallback) {
        JsonNode value = json.path(key);
        if (value.isNumber()) {
            return value.asLong();
        }
        return json.path("size").path(sizeKey).asLong(fallback);
    }

    private static List<Double> channels(JsonNode values, List<Double> fallback) {
        if (!values.isArray()) {
            return fallback;
        }
        List<Double> channels = new ArrayList<>();
        values.forEach(value -> channels.add(value.asDouble()));
        return channels;
    }
}
