package io.reapomni.testfixtures;

import java.nio.file.Path;

/**
 * Where the shared tiny Qwen3-Omni fixture is ({@code tiny-qwen3-omni}, written by transformers; its README says what
 * each file holds): under the folder that the build passes as the system property {@value #PROPERTY}, or, for a test
 * run from an IDE, the {@code shared/fixtures} folder beside the checkout.
 */
public final class TinyQwen3Omni {
    /** The system property naming the shared fixtures folder; the build sets it for every module's tests. */
    public static final String PROPERTY = "reap.fixtures";

    private TinyQwen3Omni() {
    }

    /** The fixture's folder: the model, the reference activations, the audio. */
    public static Path folder() {
        return fixtures().resolve("tiny-qwen3-omni");
    }

    /** The checkpoint, as transformers saved it. */
    public static Path model() {
        return folder().resolve("model");
    }

    /** A file beside the model, e.g. {@code reference.safetensors} or {@code audio.wav}. */
    public static Path file(String name) {
        return folder().resolve(name);
    }

    private static Path fixtures() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        // The working directory of a test is its module; the fixtures sit beside the checkout.
        return Path.of("").toAbsolutePath().getParent().resolve("../shared/fixtures").normalize();
    }
}
