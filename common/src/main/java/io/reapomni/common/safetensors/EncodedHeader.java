package io.reapomni.common.safetensors;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A header ready to be written: the file's whole prefix (8-byte little-endian length, then the padded JSON) and the
 * tensor entries it describes, in data order.
 */
public record EncodedHeader(byte[] bytes, List<TensorInfo> tensors) {
    public EncodedHeader {
        bytes = bytes.clone();
        tensors = List.copyOf(tensors);
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Absolute file offset of the data section, which is the prefix's length. */
    public long dataStart() {
        return bytes.length;
    }

    public long dataLength() {
        return tensors.isEmpty() ? 0 : tensors.get(tensors.size() - 1).end();
    }

    public long fileLength() {
        return dataStart() + dataLength();
    }

    // Records compare arrays by identity; two encodings of the same header must be equal.
    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedHeader that
                && Arrays.equals(bytes, that.bytes)
                && tensors.equals(that.tensors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(bytes), tensors);
    }

    @Override
    public String toString() {
        return "EncodedHeader[" + bytes.length + " bytes, " + tensors.size() + " tensors]";
    }
}
