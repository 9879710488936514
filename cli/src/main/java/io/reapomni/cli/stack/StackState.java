package io.reapomni.cli.stack;

import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.S3Settings;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A running stack: its broker and its S3 endpoint with the credentials each accepts, the local folders its services
 * may use for jobs, and its processes in start order. {@link #toString()} leaves the secrets out (through
 * {@link KafkaConnection} and {@link S3Settings}).
 */
public record StackState(KafkaConnection kafka, S3Settings s3, LocalRoots localRoots, List<StackPart> parts) {

    public StackState {
        parts = List.copyOf(parts);
    }

    /** How the services reach an S3 endpoint at {@code endpoint} with fresh random credentials. */
    static S3Settings randomS3Settings(URI endpoint) {
        return new S3Settings(endpoint, S3Settings.DEFAULT_REGION, "reap-" + Secrets.hex(8), Secrets.hex(32));
    }

    public Optional<StackPart> part(String name) {
        return parts.stream().filter(part -> part.name().equals(name)).findFirst();
    }

    /** How many calibration workers the stack runs. */
    public long calibrationWorkers() {
        return parts.stream().filter(StackHealth::calibrationWorker).count();
    }

    /** The same stack with {@code part} in place of the part of the same name (a restarted service). */
    public StackState replacing(StackPart replacement) {
        return new StackState(kafka, s3, localRoots, parts.stream()
                .map(part -> part.name().equals(replacement.name()) ? replacement : part).toList());
    }
}
