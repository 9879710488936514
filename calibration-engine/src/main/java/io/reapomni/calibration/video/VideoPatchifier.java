package io.reapomni.calibration.video;

import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.calibration.vision.VisionGrid;

/**
 * Turns frames into the vision tower's patch rows as the Qwen2-VL video processor does: pixels scaled to [0, 1] and
 * normalised per channel; the frame count padded to a multiple of the temporal patch size by repeating the last frame;
 * one row per (frame group, merge block, patch within block), holding channel × frame-in-group × patch row × column.
 */
public final class VideoPatchifier {
    private final VideoProcessing processing;

    public VideoPatchifier(VideoProcessing processing) {
        this.processing = processing;
    }

    public VideoPatches patches(RgbFrames frames) {
        int patch = processing.patchSize();
        int merge = processing.mergeSize();
        int temporalPatch = processing.temporalPatchSize();
        if (frames.height() % processing.sizeFactor() != 0 || frames.width() % processing.sizeFactor() != 0) {
            throw new IllegalArgumentException(frames.width() + "x" + frames.height()
                    + " frames are not multiples of " + processing.sizeFactor() + " pixels");
        }
        VisionGrid grid = new VisionGrid(Math.floorDiv(frames.frames() + temporalPatch - 1, temporalPatch),
                frames.height() / patch, frames.width() / patch);
        int patchValues = 3 * temporalPatch * patch * patch;
        float[] values = new float[grid.patches() * patchValues];
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int channel = 0; channel < 3; channel++) {
            scale[channel] = (float) (1.0 / (255.0 * processing.std().get(channel)));
            shift[channel] = (float) (processing.mean().get(channel) / processing.std().get(channel));
        }
        int blocksPerRow = grid.width() / merge;
        int index = 0;
        for (int group = 0; group < grid.temporal(); group++) {
            for (int block = 0; block < grid.patchesPerFrame() / (merge * merge); block++) {
                for (int inBlock = 0; inBlock < merge * merge; inBlock++) {
                    int patchRow = (block / blocksPerRow) * merge + inBlock / merge;
                    int patchColumn = (block % blocksPerRow) * merge + inBlock % merge;
                    for (int channel = 0; channel < 3; channel++) {
                        for (int t = 0; t < temporalPatch; t++) {
                            int frame = Math.min(group * temporalPatch + t, frames.frames() - 1);
                            for (int y = 0; y < patch; y++) {
                                for (int x = 0; x < patch; x++) {
                                    int value = frames.value(frame, patchRow * patch + y, patchColumn * patch + x,
                                            channel);
                                    values[index++] = value * scale[channel] - shift[channel];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new VideoPatches(grid, patchValues, values, processing.secondsPerGrid());
    }
}
