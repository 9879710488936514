package io.reapomni.calibrationservice;

import io.reapomni.calibration.Calibration;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;

/** A model opened for calibration, with the store its weights are read from while it is open. */
record OpenedModel(ObjectStore store, Calibration calibration) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        try {
            calibration.close();
        } finally {
            store.close();
        }
    }
}
