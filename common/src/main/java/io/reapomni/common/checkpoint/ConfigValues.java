package io.reapomni.common.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Strict reads of {@code config.json} values: a missing key (or null, as transformers writes unset ones) takes its
 * default, a present one must have the right type and lie within its stated limit, or the config is refused naming
 * the value's JSON pointer. A value of the wrong type is never taken for a missing one.
 */
final class ConfigValues {
    private final JsonNode object;
    private final String path;

    /** The values of {@code object}, found at the JSON pointer {@code path} ("" for the root). */
    ConfigValues(JsonNode object, String path) throws CheckpointException {
        if (!object.isMissingNode() && !object.isNull() && !object.isObject()) {
            throw new CheckpointException("config.json: " + (path.isEmpty() ? "the root" : path)
                    + " must be an object, not " + object);
        }
        this.object = object;
        this.path = path;
    }

    boolean has(String key) {
        return object.hasNonNull(key);
    }

    /** An integer from {@code min} to {@code max}. */
    int integer(String key, int fallback, int min, int max) throws CheckpointException {
        JsonNode value = object.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrong(key, value, "an integer");
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw new CheckpointException("config.json: " + pointer(key) + " is " + number + ", outside " + min + ".."
                    + max + (max < Integer.MAX_VALUE ? " (reap-omni's limit, far above any Qwen3-Omni checkpoint)" : ""));
        }
        return (int) number;
    }

    boolean bool(String key, boolean fallback) throws CheckpointException {
        JsonNode value = object.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw wrong(key, value, "true or false");
        }
        return value.booleanValue();
    }

    /** A finite positive number. */
    double positive(String key, double fallback) throws CheckpointException {
        JsonNode value = object.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber() || !Double.isFinite(value.doubleValue()) || value.doubleValue() <= 0) {
            throw wrong(key, value, "a positive number");
        }
        return value.doubleValue();
    }

    /** At most {@code maxCount} integers, each from 0 to {@code max}; {@code fallback} when missing. */
    List<Integer> integers(String key, List<Integer> fallback, int maxCount, int max) throws CheckpointException {
        JsonNode value = object.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isArray()) {
            throw wrong(key, value, "an array of integers");
        }
        if (value.size() > maxCount) {
            throw new CheckpointException("config.json: " + pointer(key) + " has " + value.size()
                    + " entries, more than the " + maxCount + " allowed");
        }
        List<Integer> values = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToInt() || element.intValue() < 0
                    || element.intValue() > max) {
                throw wrong(key + "/" + i, element, "an integer from 0 to " + max);
            }
            values.add(element.intValue());
        }
        return values;
    }

    /** The values of the object at {@code key}. */
    ConfigValues child(String key) throws CheckpointException {
        return new ConfigValues(object.path(key), pointer(key));
    }

    private String pointer(String key) {
        return path + "/" + key;
    }

    private CheckpointException wrong(String key, JsonNode value, String expected) {
        String shown = value.toString();
        return new CheckpointException("config.json: " + pointer(key) + " must be " + expected + ", not "
                + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown));
    }
}
