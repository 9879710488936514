package io.reapomni.cli.jobs;

import io.reapomni.childjvm.Loopback;
import io.reapomni.cli.kafka.KafkaConnection;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A KRaft broker in this JVM as a secured cluster runs one: clients connect with SCRAM-SHA-512 over TLS (a
 * self-signed certificate for 127.0.0.1 that {@link #clientSecurity()} trusts), one user with a random password. A
 * plaintext listener that only the test uses sets the broker up (users, topics) and looks at what arrived.
 */
final class SecuredKafka implements AutoCloseable {

    static final String USER = "reap-omni-test";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String internalBootstrapServers;
    private final String password;
    private final Path truststore;
    private final String truststorePassword;

    private SecuredKafka(KafkaRaftServer server, String bootstrapServers, String internalBootstrapServers,
                         String password, Path truststore, String truststorePassword) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.internalBootstrapServers = internalBootstrapServers;
        this.password = password;
        this.truststore = truststore;
        this.truststorePassword = truststorePassword;
    }

    /** Starts the broker over {@code folder} with every topic in {@code topics} (one partition each). */
    static SecuredKafka start(Path folder, Collection<String> topics) throws Exception {
        String keyPassword = UUID.randomUUID().toString();
        String truststorePassword = UUID.randomUUID().toString();
        Path keystore = folder.resolve("broker.p12");
        Path certificate = folder.resolve("broker.crt");
        Path truststore = folder.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", keyPassword, "-keypass", keyPassword);
        keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", keyPassword,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype",
                "PKCS12", "-keystore", truststore.toString(), "-storepass", truststorePassword);

        Path data = Files.createDirectories(folder.resolve("data"));
        int securedPort = Loopback.freePort();
        int internalPort = Loopback.freePort();
        int controllerPort = Loopback.freePort();
        format(data);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(brokerProperties(data, securedPort, internalPort,
                controllerPort, keystore, keyPassword), false), Time.SYSTEM);
        server.startup();
        String internal = Loopback.HOST + ":" + internalPort;
        String password = UUID.randomUUID().toString();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internal))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(60, TimeUnit.SECONDS);
            List<NewTopic> newTopics = new ArrayList<>();
            topics.forEach(topic -> newTopics.add(new NewTopic(topic, 1, (short) 1)));
            admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new SecuredKafka(server, Loopback.HOST + ":" + securedPort, internal, password, truststore,
                truststorePassword);
    }

    /** The secured listener: what the services and the CLI are given. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /** The test's own plaintext listener. */
    KafkaConnection internal() {
        return KafkaConnection.plaintext(internalBootstrapServers);
    }

    /** The secrets, which must appear in no log and no output. */
    List<String> secrets() {
        return List.of(password, truststorePassword);
    }

    /** The client properties of a user of this cluster: SCRAM-SHA-512 over TLS. */
    Map<String, String> clientSecurity() {
        return clientSecurity(password);
    }

    /** As {@link #clientSecurity()}, with another password. */
    Map<String, String> clientSecurity(String password) {
        return Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + USER + "\" password=\"" + password + "\";",
                "ssl.truststore.location", truststore.toString(),
                "ssl.truststore.password", truststorePassword,
                "ssl.truststore.type", "PKCS12");
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties brokerProperties(Path data, int securedPort, int internalPort, int controllerPort,
                                               Path keystore, String keyPassword) {
        Properties properties = new Properties();
        properties.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@" + Loopback.HOST + ":" + controllerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "INTERNAL"),
                Map.entry("listeners", "SECURED://" + Loopback.HOST + ":" + securedPort + ",INTERNAL://"
                        + Loopback.HOST + ":" + internalPort + ",CONTROLLER://" + Loopback.HOST + ":"
                        + controllerPort),
                Map.entry("advertised.listeners", "SECURED://" + Loopback.HOST + ":" + securedPort + ",INTERNAL://"
                        + Loopback.HOST + ":" + internalPort),
                Map.entry("listener.security.protocol.map", "SECURED:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-512"),
                Map.entry("listener.name.secured.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("listener.name.secured.ssl.keystore.location", keystore.toString()),
                Map.entry("listener.name.secured.ssl.keystore.password", keyPassword),
                Map.entry("listener.name.secured.ssl.key.password", keyPassword),
                Map.entry("listener.name.secured.ssl.keystore.type", "PKCS12"),
                Map.entry("log.dirs", data.toString()),
                Map.entry("metadata.log.dir", data.toString()),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "false")));
        return properties;
    }

    private static void format(Path data) throws Exception {
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(messages, true, StandardCharsets.UTF_8)) {
            new Formatter().setPrintStream(out).setNodeId(1).setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER").setMetadataLogDirectory(data.toString())
                    .setDirectories(List.of(data.toString())).setHasDynamicQuorum(false)
                    .setUnstableFeatureVersionsEnabled(false).run();
        }
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(arguments));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool " + arguments[0] + " failed: " + output);
        }
    }
}
