package io.reapomni.scoring.score;

/**
 * Which blocks of layers may go: blocks of {@code blockSize} layers whose mean cosine reaches {@code threshold}, at
 * most {@code maxLayers} layers in all, none of the first {@code protectFirst} or last {@code protectLast} layers.
 */
public record BlockRule(int blockSize, double threshold, int maxLayers, int protectFirst, int protectLast) {
    public BlockRule {
        if (blockSize < 1 || maxLayers < 0 || protectFirst < 0 || protectLast < 0) {
            throw new IllegalArgumentException("block size must be >= 1 and max layers and protected layers >= 0, got "
                    + blockSize + ", " + maxLayers + ", " + protectFirst + ", " + protectLast);
        }
    }
}
