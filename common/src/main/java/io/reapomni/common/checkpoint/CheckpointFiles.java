package io.reapomni.common.checkpoint;

import io.reapomni.common.safetensors.SafetensorsHeader;
import io.reapomni.common.storage.ObjectInfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a checkpoint that are read from storage before anything is checked: the listing of the folder,
 * {@code config.json}, the index when there is one, and the header of every safetensors file in the listing.
 */
public record CheckpointFiles(List<ObjectInfo> listing, byte[] config, Optional<byte[]> index,
                              Map<String, SafetensorsHeader> headers) {
    public CheckpointFiles {
        listing = List.copyOf(listing);
        config = config.clone();
        index = index.map(byte[]::clone);
        headers = Map.copyOf(headers);
    }

    @Override
    public byte[] config() {
        return config.clone();
    }

    @Override
    public Optional<byte[]> index() {
        return index.map(byte[]::clone);
    }
}
