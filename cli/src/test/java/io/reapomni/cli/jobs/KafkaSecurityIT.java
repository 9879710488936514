package io.reapomni.cli.jobs;

import io.reapomni.childjvm.Loopback;
import io.reapomni.cli.CliRun;
import io.reapomni.cli.kafka.KafkaClients;
import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.cli.stack.ReapHome;
import io.reapomni.common.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A cluster that takes clients only with SCRAM-SHA-512 over TLS: the packaged strip service, given the usual Kafka
 * client properties in its environment as a Kubernetes Deployment gives them, and the CLI, given them in a client
 * properties file, talk to it and to each other; without the settings, or with a wrong password, the CLI is refused
 * with a reason; no secret reaches a log or the output.
 */
class KafkaSecurityIT {

    private static final Duration BOUND = Duration.ofMinutes(2);

    @TempDir
    static Path temp;

    private static SecuredKafka kafka;
    private static Process strip;
    private static Path stripLog;
    private static Path clientConfig;

    @BeforeAll
    static void startBrokerAndService() throws Exception {
        kafka = SecuredKafka.start(temp, List.of(Topics.REQUESTS, Topics.JOBS, Topics.CALIBRATION_TASKS,
                Topics.CALIBRATION_STATS, Topics.PLANS, Topics.JOB_EVENTS, Topics.DEAD_LETTER));
        clientConfig = writeProperties(temp.resolve("client.properties"), kafka.clientSecurity());
        int port = Loopback.freePort();
        stripLog = temp.resolve("strip-service.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", ReapHome.locate().quarkusRunJar("strip-service").toString())
                .redirectErrorStream(true).redirectOutput(stripLog.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        kafka.clientSecurity().forEach((property, value) ->
                environment.put("KAFKA_" + property.toUpperCase().replace('.', '_'), value));
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("QUARKUS_HTTP_HOST", Loopback.HOST);
        strip = builder.start();
        awaitReady(port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (strip != null) {
            strip.destroy();
            if (!strip.waitFor(30, TimeUnit.SECONDS)) {
                strip.destroyForcibly();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aJobGoesFromTheCliThroughTheServiceAndBackOverScramAndTls() {
        CliRun submitted = run("submit", "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config",
                clientConfig, "--job-id", "secured-job", "-m", "s3://models/qwen3-omni", "-o", "s3://models/out",
                "--strip-vision", "--follow", "--idle-timeout", "120");
        CliRun jobs = run("jobs", "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", clientConfig);

        // The service has no S3 store: it answers, over the secured listener, that it cannot plan the job.
        assertThat(submitted.exitCode()).as(submitted.toString()).isEqualTo(1);
        assertThat(submitted.err()).contains("Job secured-job failed in planning");
        assertThat(jobs.out()).containsPattern("secured-job .* failed");
    }

    @Test
    void aMessageTheServiceCannotReadReachesTheDeadLetterTopicOverTheSecuredListener() throws Exception {
        KafkaConnection secured = new KafkaConnection(kafka.bootstrapServers(), kafka.clientSecurity());
        RequestPublisher.publishRaw(secured, Topics.REQUESTS, "secured-malformed", "{\"type\": \"PruneRequested\"}");

        try (KafkaConsumer<String, String> consumer = KafkaClients.reader(kafka.internal())) {
            TopicPartition deadLetters = new TopicPartition(Topics.DEAD_LETTER, 0);
            consumer.assign(List.of(deadLetters));
            consumer.seekToBeginning(List.of(deadLetters));
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if ("secured-malformed".equals(record.key())) {
                        return;
                    }
                }
            }
        }
        fail("the malformed request did not reach " + Topics.DEAD_LETTER + " within " + BOUND);
    }

    @Test
    void theCliWithoutTheSettingsOrWithAWrongPasswordIsRefusedWithTheReason() throws Exception {
        Path wrongPassword = writeProperties(temp.resolve("wrong.properties"), kafka.clientSecurity("not-it"));

        CliRun plain = run("jobs", "--bootstrap-servers", kafka.bootstrapServers());
        CliRun wrong = run("jobs", "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", wrongPassword);

        assertThat(plain.exitCode()).isEqualTo(1);
        assertThat(plain.err()).contains("no answer from a broker at " + kafka.bootstrapServers() + " (PLAINTEXT)",
                "check the cluster's security settings");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("the broker at " + kafka.bootstrapServers() + " (SASL_SSL) refused the CLI",
                "Authentication failed");
    }

    @Test
    void noSecretReachesTheServiceLogOrTheCliOutput() throws Exception {
        List<CliRun> runs = List.of(
                run("submit", "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config", clientConfig,
                        "--job-id", "secret-job", "-m", "s3://models/m", "-o", "s3://models/o", "--strip-vision",
                        "--follow", "--idle-timeout", "120"),
                run("follow", "secret-job", "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config",
                        clientConfig, "--idle-timeout", "120"),
                run("jobs", "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-config",
                        writeProperties(temp.resolve("wrong-too.properties"), kafka.clientSecurity("x"))));

        assertThat(runs.get(1).err()).contains("Job secret-job failed in planning");
        String log = Files.readString(stripLog);
        assertThat(log).as("the service signed in with its settings").contains("Successfully logged in.")
                .contains("jobId=secret-job rejected in planning");
        for (String secret : kafka.secrets()) {
            assertThat(log).doesNotContain(secret);
            for (CliRun run : runs) {
                assertThat(run.out() + run.err()).doesNotContain(secret);
            }
        }
    }

    private static CliRun run(Object... args) {
        return CliRun.of(args);
    }

    private static Path writeProperties(Path file, Map<String, String> properties) throws IOException {
        List<String> lines = new ArrayList<>();
        new HashMap<>(properties).forEach((key, value) -> lines.add(key + "=" + value.replace("\\", "\\\\")));
        return Files.write(file, lines);
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://" + Loopback.HOST + ":" + port
                + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(strip.isAlive()).as("strip-service running; see " + stripLog).isTrue();
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("strip-service was not ready within " + BOUND + "; see " + stripLog);
    }
}
