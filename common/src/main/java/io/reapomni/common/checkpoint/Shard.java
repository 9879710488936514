package io.reapomni.common.checkpoint;

import io.reapomni.common.safetensors.SafetensorsHeader;

/** One safetensors file of a checkpoint: its key in the store, its size in bytes and its parsed header. */
public record Shard(String key, long size, SafetensorsHeader header) {
}
