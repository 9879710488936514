package io.reapomni.common.storage;

import io.minio.MinioAsyncClient;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One S3 client, with its retry policy, shared by a store and its children. Each store holds a reference; the client (its connection pool
 * and dispatcher threads, which would otherwise keep the JVM alive for a minute) is closed with the last one.
 */
final class S3Connection {

    private final S3Settings settings;
    private final MinioAsyncClient client;
    private final S3Retry retry;
    private final AtomicInteger references = new AtomicInteger(1);

    S3Connection(S3Settings settings) {
        this.settings = settings;
        this.client = MinioAsyncClient.builder()
                .endpoint(settings.endpoint().toString())
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .build();
        this.retry = new S3Retry(settings.retry());
    }

    S3Settings settings() {
        return settings;
    }

    S3Retry retry() {
        return retry;
    }

    MinioAsyncClient client() {
        if (references.get() <= 0) {
            throw new IllegalStateException("the S3 client for " + settings.endpoint() + " is closed");
        }
        return client;
    }

    S3Connection retain() {
        if (references.getAndUpdate(n -> n > 0 ? n + 1 : n) <= 0) {
            throw new IllegalStateException("the S3 client for " + settings.endpoint() + " is closed");
        }
        return this;
    }

    void release() throws IOException {
        if (references.decrementAndGet() == 0) {
            try {
                client.close();
            } catch (Exception e) {
                throw new IOException("cannot close the S3 client for " + settings.endpoint() + ": " + e.getMessage(), e);
            }
        }
    }
}
