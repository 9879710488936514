package io.reapomni.common.storage;

import java.util.Objects;

/** A piece of an object being written: literal bytes, or a byte range of an existing object. */
public sealed interface Segment {

    long length();

    /** Small literal content (a safetensors header, a sliced router is not one of these: it is ranges). */
    record Bytes(byte[] content) implements Segment {
        public Bytes {
            Objects.requireNonNull(content, "content");
        }

        @Override
        public long length() {
            return content.length;
        }
    }

    /** {@code length} bytes of {@code key} in {@code store}, starting at {@code offset}. */
    record Range(ObjectStore store, String key, long offset, long length) implements Segment {
        public Range {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(key, "key");
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("negative range " + offset + "+" + length + " of " + key);
            }
        }
    }
}
