package io.reapomni.calibrationservice;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps DJL from downloading anything: a worker uses the PyTorch native library shipped in its image (or named by
 * {@code PYTORCH_LIBRARY_PATH} on a GPU node) and must not reach out to the internet, which a cluster often forbids.
 * Set before the first task loads the engine.
 */
@ApplicationScoped
class DjlOffline {

    static final String PROPERTY = "ai.djl.offline";

    void onStart(@Observes StartupEvent started) {
        System.setProperty(PROPERTY, "true");
    }
}
