package io.reapomni.embedded;

import java.util.Set;

/**
 * An S3 endpoint over a folder in its own JVM: {@code S3EndpointMain --data DIR [--port N]}, with the credentials in
 * {@code REAP_S3_ACCESS_KEY} and {@code REAP_S3_SECRET_KEY}. Every subfolder of DIR is a bucket. Prints
 * {@code READY endpoint=http://127.0.0.1:PORT} on stdout when it serves; stops cleanly on SIGTERM.
 */
public final class S3EndpointMain {

    public static final String ENDPOINT = "endpoint";

    private S3EndpointMain() {
    }

    public static void main(String[] args) {
        ServerProcess.run(S3EndpointMain.class.getSimpleName(), args, arguments -> {
            S3Credentials credentials = S3Credentials.fromEnvironment(System.getenv());
            EmbeddedS3 s3 = EmbeddedS3.start(
                    new S3EndpointSettings(arguments.data(), arguments.port(), credentials, Set.of()));
            return new ServerProcess.Started(s3, ReadyLine.of(ENDPOINT, s3.endpoint().toString()));
        });
    }
}
