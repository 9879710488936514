package io.reapomni.common.safetensors;

import java.nio.file.Path;

/** Where the shared fixtures are: surefire names them; a run from an IDE finds them beside the checkout. */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        String configured = System.getProperty("reap.fixtures");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path moduleParent = Path.of("").toAbsolutePath().getParent();
        return moduleParent.resolve("../shared/fixtures").normalize();
    }

    static Path tinyModel() {
        return root().resolve("tiny-qwen3-omni/model");
    }
}
