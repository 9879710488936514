package io.reapomni.common.safetensors;

import java.util.List;
import java.util.Map;

/** A header's JSON, checked entry by entry, with tensors in the order the JSON lists them (not yet data order). */
record HeaderEntries(Map<String, String> metadata, List<TensorInfo> tensors) {
    HeaderEntries {
        metadata = Map.copyOf(metadata);
        tensors = List.copyOf(tensors);
    }
}
