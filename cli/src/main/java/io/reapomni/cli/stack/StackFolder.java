package io.reapomni.cli.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The run folder of an embedded stack: the broker's data, the S3 endpoint's folder (whose entries are the buckets),
 * the scoring service's state, one log per part, and the state file of a running stack with its credentials. It is
 * this user's alone (mode 0700, see {@link PrivateFolder}): a folder prepared by someone else is refused.
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

    /** Where the scoring service keeps the calibrated jobs that wait for their statistics. */
    public Path scoringState() {
        return root.resolve("scoring-state");
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

    /**
     * Creates the folder, mode 0700, or checks that the existing one is this user's alone; before anything is kept
     * in it.
     *
     * @throws IOException when it is not this user's alone, saying what to do
     */
    public void createOrCheck() throws IOException {
        PrivateFolder.createOrCheck(root);
    }

    /**
     * The stack recorded here, or empty when none is (no folder, or no state file), after checking that the folder
     * is this user's alone: a state file someone else wrote would point the CLI at their broker and processes.
     */
    public Optional<StackState> recordedState() throws IOException {
        if (!Files.exists(root)) {
            return Optional.empty();
        }
        PrivateFolder.check(root);
        return StateFile.read(stateFile());
    }
}
