package io.reapomni.embedded;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Who reaches the embedded servers: only processes of this machine (they listen on 127.0.0.1), and of those only
 * the ones that know the credentials.
 */
class ServerAccessTest {

    private static final Credentials USER = new Credentials("reap-user", "right-password");

    @TempDir
    Path data;

    @Test
    void aBrokerWithAUserServesThatUserAndRefusesAWrongPasswordAndAnAnonymousClient() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                new KafkaBrokerSettings(data, 0, Optional.of(USER)))) {
            kafka.createTopics(Map.of("jobs", 2));
            try (Admin admin = admin(kafka, KafkaBrokerConfig.clientProperties(USER))) {
                assertThat(admin.listTopics().names().get()).contains("jobs");
            }

            try (Admin admin = admin(kafka, KafkaBrokerConfig.clientProperties(
                    new Credentials(USER.identity(), "wrong-password")))) {
                assertThatThrownBy(() -> admin.listTopics().names().get())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
            try (Admin admin = admin(kafka, Map.of())) {
                assertThatThrownBy(() -> admin.listTopics().names().get())
                        .as("a client that does not authenticate gets no answer")
                        .isInstanceOf(ExecutionException.class);
            }
        }
    }

    @Test
    void withAUserBothListenersRequireSaslAndTheBrokerLogsInToItselfAsThatUser() {
        Map<Object, Object> secured = KafkaBrokerConfig.properties(data, 9092, 9093, Optional.of(USER));
        Map<Object, Object> open = KafkaBrokerConfig.properties(data, 9092, 9093, Optional.empty());

        assertThat(secured).containsEntry("listener.security.protocol.map",
                "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        assertThat((String) secured.get("listener.name.controller.plain.sasl.jaas.config"))
                .contains("username=\"reap-user\"").contains("user_reap-user=\"right-password\"");
        assertThat(secured.get("listener.name.client.plain.sasl.jaas.config"))
                .isEqualTo(secured.get("listener.name.controller.plain.sasl.jaas.config"));
        assertThat(open).containsEntry("listener.security.protocol.map", "CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .doesNotContainKey("sasl.enabled.mechanisms");
    }

    @Test
    void theBrokerAndTheS3EndpointCannotBeReachedFromAnotherAddressOfThisMachine() throws Exception {
        Optional<InetAddress> outward = nonLoopbackAddress();
        assumeThat(outward).as("this machine has a network address besides loopback").isPresent();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new KafkaBrokerSettings(data.resolve("kafka"), 0,
                Optional.of(USER)));
             EmbeddedS3 s3 = EmbeddedS3.start(S3EndpointSettings.anyPort(data.resolve("s3"), Set.of("models")))) {
            int kafkaPort = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers()
                    .lastIndexOf(':') + 1));
            int s3Port = s3.endpoint().getPort();

            assertThat(connects(InetAddress.getLoopbackAddress(), kafkaPort)).isTrue();
            assertThat(connects(InetAddress.getLoopbackAddress(), s3Port)).isTrue();
            assertThat(connects(outward.get(), kafkaPort)).as("kafka on " + outward.get()).isFalse();
            assertThat(connects(outward.get(), s3Port)).as("s3 on " + outward.get()).isFalse();
            try (MinioClient client = MinioClient.builder().endpoint(s3.endpoint().toString()).region("us-east-1")
                    .credentials(s3.accessKey(), s3.secretKey()).build()) {
                assertThat(client.bucketExists(BucketExistsArgs.builder().bucket("models").build())).isTrue();
            }
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
        }
    }

    private static Admin admin(EmbeddedKafka kafka, Map<String, Object> security) {
        Map<String, Object> properties = new HashMap<>(security);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        return Admin.create(properties);
    }

    private static boolean connects(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address)
                .findFirst();
    }
}
