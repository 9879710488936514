package io.reapomni.cli.stack;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code stack up | down | status | restart}: the embedded stack, kept running for several jobs. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Start, stop or look at the embedded stack (Kafka, S3 over a folder, the services) on 127.0.0.1.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class,
                StackCommand.Restart.class})
public final class StackCommand {

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the stack and leave it running.")
    static final class Up implements Callable<Integer> {
        @Mixin
        RunFolderOption runFolder;
        @Mixin
        WorkersOption workers;
        @Option(names = "--local-root", paramLabel = "DIR",
                description = {"A folder whose models, outputs and calibration data jobs may name, besides your home"
                        + " folder and the temporary folder (repeatable). The services read and write only there."})
        List<Path> localRoots = new ArrayList<>();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            StackFolder folder = runFolder.folder();
            EmbeddedStack.RunningOrStarted stack = EmbeddedStack.runningOrStart(folder, ReapHome.locate(),
                    StackSettings.of(workers.workers(), localRoots), out);
            if (stack.startup().isEmpty()) {
                out.println("The stack in " + folder.root() + " is already up (Kafka "
                        + stack.state().kafka().bootstrapServers() + "; jobs may use the folders under "
                        + stack.state().localRoots() + ").");
                out.flush();
                return 0;
            }
            StartupReport.print(out, stack.startup().get());
            out.println("Kafka " + stack.state().kafka().bootstrapServers() + ", S3 " + stack.state().s3().endpoint()
                    + "; jobs may use the folders under " + stack.state().localRoots() + "; logs in " + folder.logs()
                    + "; stop with: reap-omni stack down");
            out.flush();
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the stack: SIGTERM to the services, then to Kafka and S3; SIGKILL after 20 s.")
    static final class Down implements Callable<Integer> {
        @Mixin
        RunFolderOption runFolder;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            StackFolder folder = runFolder.folder();
            try (StackLock lock = StackLock.acquire(folder)) {
                Optional<StackState> recorded = folder.recordedState();
                if (recorded.isEmpty()) {
                    out.println("No stack is running in " + folder.root() + ".");
                    out.flush();
                    return 0;
                }
                List<PartStopped> stopped = EmbeddedStack.stop(folder, recorded.get());
                stopped.forEach(part -> out.printf("  %-22s pid %-8d %s%n", part.name(), part.pid(),
                        part.outcome().name().toLowerCase(Locale.ROOT)));
                out.println("Stopped the stack in " + folder.root() + " (its data stays there).");
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show each part of the stack: running, ready, its port, its log. Exit 1 unless all are ready.")
    static final class Status implements Callable<Integer> {
        @Mixin
        RunFolderOption runFolder;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            StackFolder folder = runFolder.folder();
            Optional<StackState> recorded = folder.recordedState();
            if (recorded.isEmpty()) {
                out.println("No stack is running in " + folder.root() + " (start one with: reap-omni stack up).");
                out.flush();
                return 1;
            }
            List<StackHealth.PartHealth> health = StackHealth.check(recorded.get());
            out.println("Stack in " + folder.root() + ": Kafka " + recorded.get().kafka().bootstrapServers() + ", S3 "
                    + recorded.get().s3().endpoint() + " (credentials in " + folder.stateFile() + ", owner only)");
            out.println("Jobs may use the folders under " + recorded.get().localRoots());
            out.printf("  %-22s %-8s %-6s %-10s %-9s %s%n", "part", "pid", "port", "state", "started", "log");
            health.forEach(part -> out.printf("  %-22s %-8d %-6d %-10s %-9s %s%n", part.part().name(),
                    part.part().pid(), part.part().port(), part.state().name().toLowerCase(Locale.ROOT),
                    String.format("%.1f s", part.part().startup().toMillis() / 1000.0), part.part().logFile()));
            out.flush();
            return health.stream().allMatch(part -> part.state() == StackHealth.PartState.READY) ? 0 : 1;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Start one service of the running stack again, e.g. after it died.")
    static final class Restart implements Callable<Integer> {
        @Mixin
        RunFolderOption runFolder;
        @Parameters(paramLabel = "SERVICE", description = "strip-service, calibration-service (extra workers: calibration-service-2, ...),"
                + " scoring-service or shard-writer-service.")
        String service;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            StackFolder folder = runFolder.folder();
            try (StackLock lock = StackLock.acquire(folder)) {
                StackState state = folder.recordedState().orElseThrow(() -> new IllegalStateException(
                        "no stack is running in " + folder.root() + " (start one with: reap-omni stack up)"));
                StackState restarted = EmbeddedStack.restartService(folder, ReapHome.locate(), state, service);
                StackPart part = restarted.part(service).orElseThrow();
                out.printf("%s restarted (pid %d, ready in %.1f s)%n", service, part.pid(),
                        part.startup().toMillis() / 1000.0);
                out.flush();
                return 0;
            }
        }
    }
}
