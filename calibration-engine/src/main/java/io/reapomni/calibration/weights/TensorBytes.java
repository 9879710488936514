package io.reapomni.calibration.weights;

import io.reapomni.common.safetensors.TensorInfo;

/**
 * Where one stored tensor's bytes are: shard {@code shard}, from byte {@code offset} of the file (its header
 * included), {@code info.byteLength()} bytes.
 */
public record TensorBytes(String shard, long offset, TensorInfo info) {
}
