package io.reapomni.cli.stack;

import io.reapomni.common.storage.S3Settings;
import io.reapomni.embedded.S3Credentials;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A running stack: where its broker and S3 endpoint answer, the endpoint's credentials, and its processes in start
 * order. {@link #toString()} leaves the secret out (through {@link S3Credentials}).
 */
public record StackState(String bootstrapServers, URI s3Endpoint, S3Credentials credentials, List<StackPart> parts) {

    public StackState {
        parts = List.copyOf(parts);
    }

    public S3Settings s3Settings() {
        return s3Settings(s3Endpoint, credentials);
    }

    /** How the services reach the stack's S3 endpoint at {@code endpoint} with {@code credentials}. */
    static S3Settings s3Settings(URI endpoint, S3Credentials credentials) {
        return new S3Settings(endpoint, S3Settings.DEFAULT_REGION, credentials.accessKey(), credentials.secretKey());
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
        return new StackState(bootstrapServers, s3Endpoint, credentials, parts.stream()
                .map(part -> part.name().equals(replacement.name()) ? replacement : part).toList());
    }
}
