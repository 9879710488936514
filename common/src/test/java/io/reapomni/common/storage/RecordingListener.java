package io.reapomni.common.storage;

/** Adds up what a write reports. */
final class RecordingListener implements CopyListener {
    long streamed;
    long copiedInPlace;

    @Override
    public void streamed(long bytes) {
        streamed += bytes;
    }

    @Override
    public void copiedInPlace(long bytes) {
        copiedInPlace += bytes;
    }
}
