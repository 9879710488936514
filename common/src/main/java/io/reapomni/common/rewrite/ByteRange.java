package io.reapomni.common.rewrite;

/** A run of bytes of a source shard, by absolute file offset. */
public record ByteRange(long offset, long length) {
    public ByteRange {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("invalid byte range " + offset + "+" + length);
        }
    }

    public long end() {
        return offset + length;
    }
}
