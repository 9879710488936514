package io.reapomni.calibration.video;

import io.reapomni.calibration.vision.VisionConfig;

import java.util.List;

/**
 * How frames become vision-tower patches, as the model's video processor does it. Sizes of patches and groups come
 * from the vision config; sampling rate, pixel budget and normalisation from the processor's config where the
 * checkpoint has one, otherwise transformers' Qwen2-VL video processor defaults (CLIP mean and standard deviation).
 *
 * @param framesPerSecond frames sampled per second of video
 * @param minPixels       smallest frame area after resizing
 * @param maxPixels       largest frame area after resizing
 */
public record VideoProcessing(int patchSize, int mergeSize, int temporalPatchSize, double framesPerSecond,
                              long minPixels, long maxPixels, List<Double> mean, List<Double> std) {
    public static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);
    public static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);

    public VideoProcessing {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException("image mean and std need one value per RGB channel");
        }
        if (!(framesPerSecond > 0) || minPixels > maxPixels) {
            throw new IllegalArgumentException("fps must be positive and min_pixels at most max_pixels");
        }
    }

    /** transformers' defaults around the model's vision sizes. */
    public static VideoProcessing defaults(VisionConfig vision) {
        long factor = (long) vision.patchSize() * vision.spatialMergeSize();
        return new VideoProcessing(vision.patchSize(), vision.spatialMergeSize(), vision.temporalPatchSize(), 2.0,
                128 * factor * factor, 768 * factor * factor, CLIP_MEAN, CLIP_STD);
    }

    /** Height and width both multiples of patch × merge size. */
    public int sizeFactor() {
        return patchSize * mergeSize;
    }

    /** Seconds of video in one group of {@code temporalPatchSize} sampled frames. */
    public float secondsPerGrid() {
        return (float) (temporalPatchSize / framesPerSecond);
    }

    /**
     * Qwen2-VL's {@code smart_resize}: the nearest size whose sides are multiples of the factor, scaled down or up
     * (keeping the aspect ratio) to fit the pixel budget. Returns {height, width}.
     */
    public int[] resizedFrame(int height, int width) {
        int factor = sizeFactor();
        if (Math.max(height, width) / (double) Math.min(height, width) > 200) {
            throw new IllegalArgumentException("a " + width + "x" + height + " frame's aspect ratio exceeds 200");
        }
        // Python rounds halves to even
        long resizedHeight = Math.max(factor, (long) Math.rint(height / (double) factor) * factor);
        long resizedWidth = Math.max(factor, (long) Math.rint(width / (double) factor) * factor);
        if (resizedHeight * resizedWidth > maxPixels) {
            double beta = Math.sqrt((double) height * width / maxPixels);
            resizedHeight = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
            resizedWidth = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
        } else if (resizedHeight * resizedWidth < minPixels) {
            double beta = Math.sqrt((double) minPixels / ((double) height * width));
            resizedHeight = (long) Math.ceil(height * beta / factor) * factor;
            resizedWidth = (long) Math.ceil(width * beta / factor) * factor;
        }
        return new int[] {Math.toIntExact(resizedHeight), Math.toIntExact(resizedWidth)};
    }
}
