package io.reapomni.calibration.video;

import io.reapomni.calibration.vision.VisionConfig;

import java.util.List;

/**
 * How frames become vision-tower patches, as the model's video processor does it. Sizes of patches and groups come
 * from the vision config; sampling rate, pixel budget and normalisation from the processor's config where the
 * checkpoint has one, otherwise transformers' defaults for Qwen3-Omni.
 *
 * <p>Qwen3-Omni's video processor is transformers' {@code Qwen2VLVideoProcessor}, whose {@code smart_resize} sizes
 * each frame on its own: the frame count is not part of the pixel budget (unlike Qwen3-VL's video processor).
 *
 * @param framesPerSecond frames sampled per second of video
 * @param minPixels       smallest frame area after resizing
 * @param maxPixels       largest frame area after resizing
 */
public record VideoProcessing(int patchSize, int mergeSize, int temporalPatchSize, double framesPerSecond,
                              long minPixels, long maxPixels, List<Double> mean, List<Double> std) {
    public static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);
    public static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);
    public static final double DEFAULT_FPS = 1.0;
    public static final long DEFAULT_MIN_PIXELS = 128L * 32 * 32;
    public static final long DEFAULT_MAX_PIXELS = 768L * 32 * 32;

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

    /**
     * transformers' defaults for Qwen3-Omni. The pixel budget is {@code Qwen3OmniMoeProcessor}'s video default
     * (128 and 768 tokens of 32 × 32 pixels), not the Qwen2-VL video processor's class default, which assumes 14-pixel
     * patches. The video processor samples no frames by default and the Omni processor then times frame groups at
     * {@value #DEFAULT_FPS} frame per second, so frames are sampled at that rate, which keeps their time positions true.
     */
    public static VideoProcessing defaults(VisionConfig vision) {
        return new VideoProcessing(vision.patchSize(), vision.spatialMergeSize(), vision.temporalPatchSize(),
                DEFAULT_FPS, DEFAULT_MIN_PIXELS, DEFAULT_MAX_PIXELS, CLIP_MEAN, CLIP_STD);
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
