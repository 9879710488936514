package io.reapomni.cli.stack;

import java.nio.file.Path;

/**
 * The run folder of an embedded stack: the broker's data, the S3 endpoint's folder (whose entries are the buckets),
 * one log per part, and the state file of a running stack.
 */
public record StackFolder(Path root) {

    public StackFolder {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code ~/.reap-omni/stack}. */
    public static StackFolder standard() {
        return new StackFolder(Path.of(System.getProperty("user.home"), ".reap-omni", "stack"));
    }

    public Path kafkaData() {
        return root.resolve("kafka");
    }

    public Path s3Data() {
        return root.resolve("s3");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path log(String part) {
        return logs().resolve(part + ".log");
    }

    public Path stateFile() {
        return root.resolve("stack.json");
    }

    /** Held while a stack in this folder is started or stopped, so that two commands never do both at once. */
    public Path lockFile() {
        return root.resolve("stack.lock");
    }
}
