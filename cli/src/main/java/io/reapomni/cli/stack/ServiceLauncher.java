package io.reapomni.cli.stack;

import io.reapomni.childjvm.Loopback;
import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.S3Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a service's packaged Quarkus application as a child process on its own port on 127.0.0.1, configured by
 * its environment (the S3 secret never appears on a command line), with stdout and stderr appended to its log. The
 * child does not depend on this JVM: a stack keeps running after {@code stack up} has exited.
 */
final class ServiceLauncher {

    private ServiceLauncher() {
    }

    /** A launched service: not ready yet, see {@link ReadinessProbe}. */
    record Launched(ServiceSpec spec, Process process, int port, Path logFile, String commandMarker, long startedNanos) {
    }

    /** @param workers the stack's calibration workers, over which the strip service spreads a job's tasks */
    static Launched launch(ServiceSpec spec, ReapHome home, StackFolder folder, KafkaConnection kafka,
                           S3Settings s3, LocalRoots localRoots, int workers) throws IOException {
        home.requireBuilt(List.of(spec));
        Path jar = home.quarkusRunJar(spec.module());
        int port = Loopback.freePort();
        Path log = folder.log(spec.name());
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        String marker = JvmOptions.marker(folder, spec.name());
        command.addAll(spec.compiledCodeBound() ? JvmOptions.compiled(marker, spec.maxHeap())
                : JvmOptions.lean(marker, spec.maxHeap()));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(folder.root().toFile());
        builder.environment().putAll(environment(kafka, s3, localRoots, port, folder, workers));
        long started = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        return new Launched(spec, process, port, log, marker, started);
    }

    private static Map<String, String> environment(KafkaConnection kafka, S3Settings s3, LocalRoots localRoots,
                                                   int port, StackFolder folder, int workers) {
        Map<String, String> environment = new HashMap<>();
        // The scoring service's jobs wait in the stack's own folder, which only this user may read.
        environment.put("REAP_STATE_LOCATION", folder.scoringState().toString());
        // The broker and its credentials, as KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*.
        environment.putAll(kafka.asServiceEnvironment());
        environment.put(S3Settings.ENDPOINT_VARIABLE, s3.endpoint().toString());
        environment.put(S3Settings.REGION_VARIABLE, s3.region());
        environment.put(S3Settings.ACCESS_KEY_VARIABLE, s3.accessKey());
        environment.put(S3Settings.SECRET_KEY_VARIABLE, s3.secretKey());
        // Jobs name the user's own folders: the services read and write them directly, within these roots.
        environment.put(LocalRoots.VARIABLE, localRoots.toString());
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("QUARKUS_HTTP_HOST", Loopback.HOST);
        // Without a broker address Quarkus would look for Docker to start one; the address is always given here.
        environment.put("QUARKUS_KAFKA_DEVSERVICES_ENABLED", "false");
        // A killed service's partitions go to its restarted self only when the broker has given up on the dead
        // member: after 45 s by default, after 10 s here, where a service is one process on the same machine.
        environment.put("KAFKA_SESSION_TIMEOUT_MS", "10000");
        environment.put("REAP_CALIBRATION_WORKERS", Integer.toString(workers));
        return environment;
    }
}
