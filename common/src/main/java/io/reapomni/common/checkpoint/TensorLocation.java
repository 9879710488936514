package io.reapomni.common.checkpoint;

import io.reapomni.common.safetensors.TensorInfo;

/** Where a tensor's bytes live: the shard's key and the tensor's header entry in it. */
public record TensorLocation(String shardKey, TensorInfo info) {
    public String name() {
        return info.name();
    }
}
