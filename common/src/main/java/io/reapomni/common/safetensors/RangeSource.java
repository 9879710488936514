package io.reapomni.common.safetensors;

import java.io.IOException;
import java.io.InputStream;

/**
 * Random access to a file's bytes, by ranges, so that a header can be read without fetching the file: a local file,
 * an object in a store, or bytes in memory.
 */
@FunctionalInterface
public interface RangeSource {

    /**
     * A stream over the {@code length} bytes starting at {@code offset}, or fewer when the file ends first;
     * the caller closes it.
     */
    InputStream open(long offset, long length) throws IOException;
}
