package io.reapomni.embedded;

import io.reapomni.childjvm.ChildJvmLauncher;
import io.reapomni.childjvm.ChildJvmSpec;
import io.reapomni.childjvm.ChildProcess;
import io.reapomni.childjvm.ChildStartException;
import io.reapomni.childjvm.StopOutcome;
import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged application's servers, each in a child JVM as the CLI runs them. */
class EmbeddedServersTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServersTest.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> SMALL_HEAP = List.of("-Xmx256m");

    @TempDir
    Path run;

    @Test
    void aBrokerInAChildJvmServesItsUserAndEndsWhenStopped() throws Exception {
        Credentials user = Credentials.random();
        ChildProcess broker = ChildJvmLauncher.start(server(EmbeddedServers.KAFKA,
                List.of("--data", run.resolve("kafka").toString(), "--port", "0"), user.asEnvironment(Credentials.KAFKA),
                run.resolve("logs/kafka.log")), READY_TIMEOUT);
        try {
            String bootstrap = broker.ready().value(EmbeddedServers.BOOTSTRAP);
            assertThat(bootstrap).matches("127\\.0\\.0\\.1:\\d+");
            Map<String, Object> client = new HashMap<>(KafkaBrokerConfig.clientProperties(user));
            client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(client)) {
                assertThat(admin.describeCluster().nodes().get()).hasSize(1);
            }
            LOG.info("kafka pid {}: {}", broker.pid(), ResidentMemory.of(broker.pid()));
        } finally {
            assertThat(broker.stop()).isEqualTo(StopOutcome.TERMINATED);
        }
        assertThat(broker.isAlive()).isFalse();
        assertThat(ProcessHandle.of(broker.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.readString(broker.logFile())).contains("READY bootstrap=").doesNotContain(user.secret());
    }

    @Test
    void anS3EndpointInAChildJvmTakesItsCredentialsFromTheEnvironmentAndEndsWhenStopped() throws Exception {
        Credentials credentials = Credentials.random();
        Files.createDirectories(run.resolve("s3/models"));
        ChildProcess endpoint = ChildJvmLauncher.start(server(EmbeddedServers.S3,
                List.of("--data", run.resolve("s3").toString()), credentials.asEnvironment(Credentials.S3),
                run.resolve("logs/s3.log")), READY_TIMEOUT);
        try {
            String url = endpoint.ready().value(EmbeddedServers.ENDPOINT);
            try (MinioClient client = MinioClient.builder().endpoint(url).region("us-east-1")
                    .credentials(credentials.identity(), credentials.secret()).build()) {
                assertThat(client.bucketExists(BucketExistsArgs.builder().bucket("models").build())).isTrue();
            }
            LOG.info("s3 pid {}: {}", endpoint.pid(), ResidentMemory.of(endpoint.pid()));
        } finally {
            assertThat(endpoint.stop()).isEqualTo(StopOutcome.TERMINATED);
        }
        assertThat(endpoint.isAlive()).isFalse();
        assertThat(Files.readString(endpoint.logFile())).doesNotContain(credentials.secret());
    }

    @Test
    void aServerWithoutCredentialsDoesNotStartAndSaysWhichAreMissing() {
        assertThatThrownBy(() -> ChildJvmLauncher.start(server(EmbeddedServers.S3,
                List.of("--data", run.resolve("s3").toString()), Map.of(), run.resolve("logs/s3.log")),
                READY_TIMEOUT))
                .isInstanceOf(ChildStartException.class)
                .hasMessageContaining("EmbeddedServers exited with status 2 before it was ready")
                .hasMessageContaining("set both REAP_S3_ACCESS_KEY and REAP_S3_SECRET_KEY");
        assertThatThrownBy(() -> ChildJvmLauncher.start(server(EmbeddedServers.KAFKA,
                List.of("--data", run.resolve("kafka").toString()), Map.of(), run.resolve("logs/kafka.log")),
                READY_TIMEOUT))
                .isInstanceOf(ChildStartException.class)
                .hasMessageContaining("set both REAP_KAFKA_USERNAME and REAP_KAFKA_PASSWORD");
    }

    /** {@code server} of the application as the CLI starts it, from this JVM's class path. */
    private static ChildJvmSpec server(String server, List<String> arguments, Map<String, String> environment,
                                       Path log) {
        List<String> command = new ArrayList<>(List.of(server));
        command.addAll(arguments);
        return ChildJvmSpec.onThisClassPath(EmbeddedServers.class, SMALL_HEAP, command, environment, log);
    }
}
