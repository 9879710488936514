package io.reapomni.embedded;

import io.reapomni.childjvm.Loopback;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * An S3 endpoint over a folder: {@code s3://bucket/key} is the file {@code dataFolder/bucket/key}.
 *
 * @param dataFolder  the folder whose subfolders are the buckets
 * @param port        the port on 127.0.0.1, or 0 for any free port
 * @param credentials the only identity the endpoint accepts (AWS v2 or v4 signatures)
 * @param buckets     buckets to create when missing
 */
public record S3EndpointSettings(Path dataFolder, int port, Credentials credentials, Set<String> buckets) {

    public S3EndpointSettings {
        Objects.requireNonNull(dataFolder, "dataFolder");
        Objects.requireNonNull(credentials, "credentials");
        Loopback.requireValidPort(port);
        dataFolder = dataFolder.toAbsolutePath().normalize();
        buckets = Set.copyOf(buckets);
    }

    /** An endpoint on any free port with fresh random credentials. */
    public static S3EndpointSettings anyPort(Path dataFolder, Set<String> buckets) {
        return new S3EndpointSettings(dataFolder, 0, Credentials.random(), buckets);
    }
}
