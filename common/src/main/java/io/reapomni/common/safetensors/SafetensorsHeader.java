package io.reapomni.common.safetensors;

import java.util.List;
import java.util.Map;

/**
 * A parsed and validated safetensors header.
 *
 * @param headerLength the JSON header's length N as stored in the file's first 8 bytes
 * @param metadata     the optional {@code __metadata__} string map
 * @param tensors      the tensor entries in data order (ascending {@code begin}); they tile the data section
 */
public record SafetensorsHeader(long headerLength, Map<String, String> metadata, List<TensorInfo> tensors) {
    public SafetensorsHeader {
        metadata = Map.copyOf(metadata);
        tensors = List.copyOf(tensors);
    }

    /** Absolute file offset of the data section. */
    public long dataStart() {
        return 8 + headerLength;
    }

    /** Length of the data section, which is the end of the last tensor. */
    public long dataLength() {
        return tensors.isEmpty() ? 0 : tensors.get(tensors.size() - 1).end();
    }

    /** The whole file's length as this header describes it. */
    public long fileLength() {
        return dataStart() + dataLength();
    }
}
