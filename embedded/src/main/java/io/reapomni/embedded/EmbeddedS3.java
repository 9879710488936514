package io.reapomni.embedded;

import io.reapomni.childjvm.Loopback;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;

/**
 * An S3-compatible endpoint in this JVM (S3Proxy with its filesystem backend) on 127.0.0.1, checking signatures
 * against one identity. Objects are plain files under the data folder, which outlives the endpoint.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final URI endpoint;
    private final Credentials credentials;
    private final Duration startTime;

    private EmbeddedS3(S3Proxy proxy, BlobStore blobStore, URI endpoint, Credentials credentials,
                       Duration startTime) {
        this.proxy = proxy;
        this.blobStore = blobStore;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.startTime = startTime;
    }

    /** Creates the missing buckets and starts serving. */
    public static EmbeddedS3 start(S3EndpointSettings settings) throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(settings.dataFolder());
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", settings.dataFolder().toString());
        BlobStore blobStore = BlobStores.create("filesystem", properties);
        for (String bucket : settings.buckets()) {
            if (!blobStore.containerExists(bucket)) {
                blobStore.createContainer(bucket);
            }
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://" + Loopback.HOST + ":" + settings.port()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4,
                        settings.credentials().identity(), settings.credentials().secret())
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            blobStore.close();
            throw new IOException("S3 endpoint over " + settings.dataFolder() + " did not start: " + e.getMessage(), e);
        }
        URI endpoint = URI.create("http://" + Loopback.HOST + ":" + proxy.getPort());
        Duration startTime = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("S3 endpoint serving {} over {} for access key {} after {} ms", endpoint, settings.dataFolder(),
                settings.credentials().identity(), startTime.toMillis());
        return new EmbeddedS3(proxy, blobStore, endpoint, settings.credentials(), startTime);
    }

    /** {@code http://127.0.0.1:port}. */
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return credentials.identity();
    }

    public String secretKey() {
        return credentials.secret();
    }

    /** From the call to {@link #start} until the endpoint accepted connections. */
    public Duration startTime() {
        return startTime;
    }

    /** Stops serving; the data folder and its objects stay. */
    @Override
    public void close() throws IOException {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IOException("S3 endpoint " + endpoint + " did not stop cleanly: " + e.getMessage(), e);
        } finally {
            blobStore.close();
        }
        LOG.info("S3 endpoint {} stopped", endpoint);
    }
}
