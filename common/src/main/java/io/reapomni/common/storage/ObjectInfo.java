package io.reapomni.common.storage;

/** A stored object: its key relative to the store's root and its size in bytes. */
public record ObjectInfo(String key, long size) {
}
