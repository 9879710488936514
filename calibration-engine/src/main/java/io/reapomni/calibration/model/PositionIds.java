package io.reapomni.calibration.model;

import java.util.Arrays;

/**
 * The thinker's M-RoPE positions: a temporal, a height and a width position per token. Text and audio tokens carry
 * one position on all three axes; video tokens spread over a grid. Positions are float because transformers computes
 * a video's temporal positions from seconds, which need not be whole.
 */
public record PositionIds(float[] temporal, float[] height, float[] width) {
    public PositionIds {
        if (temporal.length != height.length || temporal.length != width.length) {
            throw new IllegalArgumentException("position axes of different lengths: " + temporal.length + ", "
                    + height.length + ", " + width.length);
        }
        temporal = temporal.clone();
        height = height.clone();
        width = width.clone();
    }

    /** Positions 0..length-1 on every axis: a prompt without video. */
    public static PositionIds sequential(int length) {
        float[] positions = new float[length];
        for (int i = 0; i < length; i++) {
            positions[i] = i;
        }
        return new PositionIds(positions, positions, positions);
    }

    public int length() {
        return temporal.length;
    }

    /** Axis 0 is temporal, 1 height, 2 width. */
    public float at(int axis, int token) {
        return switch (axis) {
            case 0 -> temporal[token];
            case 1 -> height[token];
            case 2 -> width[token];
            default -> throw new IllegalArgumentException("M-RoPE has axes 0 to 2, not " + axis);
        };
    }

    @Override
    public float[] temporal() {
        return temporal.clone();
    }

    @Override
    public float[] height() {
        return height.clone();
    }

    @Override
    public float[] width() {
        return width.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PositionIds that && Arrays.equals(temporal, that.temporal)
                && Arrays.equals(height, that.height) && Arrays.equals(width, that.width);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(temporal) + Arrays.hashCode(height)) + Arrays.hashCode(width);
    }

    @Override
    public String toString() {
        return "PositionIds[t=" + Arrays.toString(temporal) + ", h=" + Arrays.toString(height) + ", w="
                + Arrays.toString(width) + "]";
    }
}
