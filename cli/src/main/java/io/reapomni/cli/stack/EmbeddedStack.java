package io.reapomni.cli.stack;

import io.reapomni.childjvm.ChildJvmLauncher;
import io.reapomni.childjvm.ChildJvmSpec;
import io.reapomni.childjvm.ChildProcess;
import io.reapomni.childjvm.Loopback;
import io.reapomni.childjvm.StopOutcome;
import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.common.storage.S3Settings;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Starts and stops the embedded stack of a run folder: a Kafka broker and an S3 endpoint over the folder, each a
 * child JVM of the embedded servers' application on 127.0.0.1, the topics, then the services. Every process outlives
 * the command that started it; the state file records them for the command that stops them.
 */
public final class EmbeddedStack {

    public static final String KAFKA = "kafka";
    public static final String S3 = "s3";
    /** Where the embedded servers' application reads the one user its broker accepts. */
    private static final String KAFKA_USERNAME_VARIABLE = "REAP_KAFKA_USERNAME";
    private static final String KAFKA_PASSWORD_VARIABLE = "REAP_KAFKA_PASSWORD";

    static final Duration SERVER_READY_BOUND = Duration.ofSeconds(60);
    static final Duration SERVICE_READY_BOUND = Duration.ofSeconds(120);
    static final Duration CONSUMERS_BOUND = Duration.ofSeconds(60);
    /** Quarkus drains its consumers and Kafka shuts down in a controlled way within this; longer means hung. */
    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private EmbeddedStack() {
    }

    /**
     * Under the run folder's lock: the stack that is already running (once its services answer ready: one may be
     * starting again, or reconnecting to a restarted broker, and its jobs must not be cut off), or a new one started
     * after stopping what is left of an earlier one (a crashed or half-stopped stack).
     */
    static RunningOrStarted runningOrStart(StackFolder folder, ReapHome home, StackSettings settings,
                                           PrintWriter out) throws IOException {
        try (StackLock lock = StackLock.acquire(folder)) {
            Optional<StackState> recorded = folder.recordedState();
            if (recorded.isPresent() && awaitServicesReady(recorded.get())) {
                return new RunningOrStarted(recorded.get(), Optional.empty());
            }
            if (recorded.isPresent()) {
                out.println("Stopping what is left of an earlier stack in " + folder.root());
                stop(folder, recorded.get());
            }
            out.println("Starting the embedded stack in " + folder.root() + " ...");
            out.flush();
            StackStartup startup = start(folder, home, settings);
            return new RunningOrStarted(startup.state(), Optional.of(startup));
        }
    }

    /** The stack a command works with; {@code startup} is present when this command started it. */
    record RunningOrStarted(StackState state, Optional<StackStartup> startup) {
    }

    /**
     * Starts a stack in {@code folder} and records it in the folder's state file. Whatever started is stopped again
     * when a part fails to start.
     */
    public static StackStartup start(StackFolder folder, ReapHome home, StackSettings settings) throws IOException {
        List<ServiceSpec> specs = ServiceSpec.forWorkers(settings.workers());
        home.requireBuilt(specs);
        folder.createOrCheck();
        long started = System.nanoTime();
        int kafkaPort = Loopback.freePort();
        int s3Port = Loopback.freePort();
        String kafkaUser = "reap-" + Secrets.hex(8);
        String kafkaPassword = Secrets.hex(32);
        KafkaConnection kafka = KafkaConnection.saslPlain(Loopback.HOST + ":" + kafkaPort, kafkaUser, kafkaPassword);
        S3Settings s3 = StackState.randomS3Settings(URI.create("http://" + Loopback.HOST + ":" + s3Port));
        List<StackPart> running = new ArrayList<>();
        List<CompletableFuture<StackPart>> servers = new ArrayList<>();
        try {
            servers.addAll(List.of(
                    async(() -> startServer(KAFKA, "384m", folder.kafkaData(), kafkaPort, Map.of(
                            KAFKA_USERNAME_VARIABLE, kafkaUser, KAFKA_PASSWORD_VARIABLE, kafkaPassword), folder, home)),
                    async(() -> startServer(S3, "256m", folder.s3Data(), s3Port, Map.of(
                            S3Settings.ACCESS_KEY_VARIABLE, s3.accessKey(),
                            S3Settings.SECRET_KEY_VARIABLE, s3.secretKey()), folder, home))));
            List<StackPart> parts = new ArrayList<>(awaitAll(servers, running));

            long topicsStarted = System.nanoTime();
            StackTopics.create(kafka, settings.workers());
            Duration topics = Duration.ofNanos(System.nanoTime() - topicsStarted);

            // The services start once their topics exist: a consumer that subscribed to a missing topic finds it
            // only at a later metadata refresh, and its first job would wait for that.
            List<CompletableFuture<StackPart>> services = new ArrayList<>();
            for (ServiceSpec service : specs) {
                ServiceLauncher.Launched launched = ServiceLauncher.launch(service, home, folder, kafka, s3,
                        settings.localRoots(), settings.workers());
                running.add(launchedPart(launched, Duration.ZERO));
                services.add(async(() -> awaitService(launched)));
            }
            parts.addAll(awaitAll(services, new ArrayList<>()));

            long consumersStarted = System.nanoTime();
            StackTopics.awaitConsumers(kafka, settings.workers(), CONSUMERS_BOUND);
            Duration consumers = Duration.ofNanos(System.nanoTime() - consumersStarted);

            StackState state = new StackState(kafka, s3, settings.localRoots(), parts);
            StateFile.write(folder.stateFile(), state);
            return new StackStartup(state, topics, consumers, Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException | RuntimeException e) {
            stopParts(running);
            stopParts(startedOf(servers));
            throw e;
        }
    }

    /** Stops the stack recorded in {@code state}: the services first, then the broker and the S3 endpoint. */
    public static List<PartStopped> stop(StackFolder folder, StackState state) throws IOException {
        List<PartStopped> stopped = stopParts(state.parts());
        StateFile.delete(folder.stateFile());
        return stopped;
    }

    /**
     * Starts service {@code name} of a running stack again (after it died or was killed) and records its new
     * process. A live process of it is stopped first.
     */
    public static StackState restartService(StackFolder folder, ReapHome home, StackState state, String name)
            throws IOException {
        StackPart old = state.part(name)
                .orElseThrow(() -> new IllegalArgumentException("the stack has no service " + name));
        stopParts(List.of(old));
        ServiceLauncher.Launched launched = ServiceLauncher.launch(ServiceSpec.named(name), home, folder,
                state.kafka(), state.s3(), state.localRoots(), Math.toIntExact(state.calibrationWorkers()));
        StackPart part;
        try {
            part = awaitService(launched);
        } catch (IOException | RuntimeException e) {
            launched.process().destroyForcibly();
            throw e;
        }
        StackState restarted = state.replacing(part);
        StateFile.write(folder.stateFile(), restarted);
        return restarted;
    }

    /**
     * Stops the stack's Kafka broker and starts it again on its port and data folder with its credentials, while the
     * services run on: as an operator or a node failure restarts a broker in a cluster.
     */
    public static StackState restartBroker(StackFolder folder, ReapHome home, StackState state) throws IOException {
        StackPart old = state.part(KAFKA).orElseThrow(() -> new IllegalArgumentException("the stack has no broker"));
        KafkaConnection.PlainCredentials credentials = state.kafka().plainCredentials().orElseThrow(() ->
                new IllegalStateException("the stack's broker was not started with a SASL/PLAIN user"));
        stopParts(List.of(old));
        StackPart restarted = startServer(KAFKA, "384m", folder.kafkaData(), old.port(), Map.of(
                KAFKA_USERNAME_VARIABLE, credentials.username(), KAFKA_PASSWORD_VARIABLE, credentials.password()),
                folder, home);
        StackState now = state.replacing(restarted);
        StateFile.write(folder.stateFile(), now);
        return now;
    }

    /** {@code name} is also the server's name in the embedded servers' application ({@code kafka} or {@code s3}). */
    private static StackPart startServer(String name, String maxHeap, Path data, int port,
                                         Map<String, String> environment, StackFolder folder, ReapHome home)
            throws IOException {
        long started = System.nanoTime();
        String marker = JvmOptions.marker(folder, name);
        ChildProcess child = ChildJvmLauncher.start(ChildJvmSpec.packaged(name, home.embeddedServersJar(),
                JvmOptions.lean(marker, maxHeap),
                List.of(name, "--data", data.toString(), "--port", Integer.toString(port)), environment,
                folder.log(name)), SERVER_READY_BOUND);
        ProcessHandle process = ProcessHandle.of(child.pid()).orElseThrow(() -> new StackStartException(
                name + " (pid " + child.pid() + ") ended right after it was ready; see " + folder.log(name)));
        return OwnedProcess.describe(name, process, marker, port, folder.log(name),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Waits for the services of a recorded stack to answer ready (they may be reconnecting after a broker restart).
     *
     * @return false, at once, when the process of some part no longer runs: the stack must be replaced
     */
    private static boolean awaitServicesReady(StackState state) throws StackStartException {
        List<ProcessHandle> processes = new ArrayList<>();
        for (StackPart part : state.parts()) {
            Optional<ProcessHandle> process = OwnedProcess.find(part);
            if (process.isEmpty()) {
                return false;
            }
            processes.add(process.get());
        }
        for (int i = 0; i < processes.size(); i++) {
            StackPart part = state.parts().get(i);
            if (!part.server()) {
                ReadinessProbe.awaitReady(part.name(), processes.get(i), part.port(), part.logFile(),
                        SERVICE_READY_BOUND);
            }
        }
        return true;
    }

    private static StackPart awaitService(ServiceLauncher.Launched service) throws StackStartException {
        ProcessHandle process = service.process().toHandle();
        ReadinessProbe.awaitReady(service.spec().name(), process, service.port(), service.logFile(),
                SERVICE_READY_BOUND);
        return launchedPart(service, Duration.ofNanos(System.nanoTime() - service.startedNanos()));
    }

    private static StackPart launchedPart(ServiceLauncher.Launched service, Duration startup) {
        return OwnedProcess.describe(service.spec().name(), service.process().toHandle(), service.commandMarker(),
                service.port(), service.logFile(), startup);
    }

    /** SIGTERM to every service at once, then to the servers, so that the services still reach them while stopping. */
    private static List<PartStopped> stopParts(List<StackPart> parts) {
        List<StackPart> services = parts.stream().filter(part -> !part.server()).toList();
        List<StackPart> servers = parts.stream().filter(StackPart::server).toList();
        List<PartStopped> stopped = new ArrayList<>(terminateTogether(services));
        stopped.addAll(terminateTogether(servers));
        return stopped;
    }

    private static List<PartStopped> terminateTogether(List<StackPart> parts) {
        List<Optional<ProcessHandle>> processes = parts.stream().map(OwnedProcess::find).toList();
        processes.forEach(process -> process.ifPresent(ProcessHandle::destroy));
        List<PartStopped> stopped = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            StackPart part = parts.get(i);
            PartStopped.Outcome outcome = processes.get(i)
                    .map(process -> ChildProcess.stop(process, STOP_GRACE) == StopOutcome.KILLED
                            ? PartStopped.Outcome.KILLED : PartStopped.Outcome.TERMINATED)
                    .orElse(PartStopped.Outcome.GONE);
            stopped.add(new PartStopped(part.name(), part.pid(), outcome));
        }
        return stopped;
    }

    @FunctionalInterface
    private interface Start {
        StackPart run() throws IOException;
    }

    /** One thread per part: each waits on a child process, and the parts start side by side. */
    private static CompletableFuture<StackPart> async(Start start) {
        Executor ownThread = task -> {
            Thread thread = new Thread(task, "stack-start");
            thread.setDaemon(true);
            thread.start();
        };
        return CompletableFuture.supplyAsync(() -> {
            try {
                return start.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, ownThread);
    }

    /**
     * Waits for every part, adds the ones that started to {@code running} (so that a failure stops them too), and
     * throws the first failure.
     */
    private static List<StackPart> startedOf(List<CompletableFuture<StackPart>> parts) {
        return parts.stream()
                .map(part -> part.handle((started, failure) -> Optional.ofNullable(started)).join())
                .flatMap(Optional::stream).toList();
    }

    private static List<StackPart> awaitAll(List<CompletableFuture<StackPart>> parts, List<StackPart> running)
            throws IOException {
        List<StackPart> started = new ArrayList<>();
        Optional<Throwable> failure = Optional.empty();
        for (CompletableFuture<StackPart> part : parts) {
            try {
                started.add(part.join());
            } catch (CompletionException e) {
                failure = failure.or(() -> Optional.of(e.getCause()));
            }
        }
        running.addAll(started);
        if (failure.isPresent()) {
            if (failure.get() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IllegalStateException("a part of the stack failed to start: " + failure.get(), failure.get());
        }
        return started;
    }
}
