package io.reapomni.cli.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service process of the stack: its name (its part in the state file, its log), its Maven module (whose
 * {@code target/quarkus-app/quarkus-run.jar} runs it), its heap, and whether its work is Java code over gigabytes
 * (see {@link JvmOptions#compiled}). Calibration workers are one module run as many processes: the first is named
 * after the module, the others {@code calibration-service-2}, {@code -3}, ...
 */
public record ServiceSpec(String name, String module, String maxHeap, boolean compiledCodeBound) {

    private static final String CALIBRATION = "calibration-service";
    private static final String WORKER_HEAP = "256m";
    private static final Pattern EXTRA_WORKER = Pattern.compile(CALIBRATION + "-([2-9]|[1-9][0-9]+)");

    /** The services of a stack with {@code workers} calibration workers, in the order the events flow through them. */
    public static List<ServiceSpec> forWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        List<ServiceSpec> services = new ArrayList<>();
        services.add(single("strip-service", "256m", false));
        for (int worker = 1; worker <= workers; worker++) {
            services.add(worker(worker));
        }
        services.add(single("scoring-service", "256m", false));
        // Streams tensors in bounded buffers, never whole shards, and hashes every byte it writes.
        services.add(single("shard-writer-service", "512m", true));
        return List.copyOf(services);
    }

    /** The service process called {@code name} in a stack (a module's name, or an extra worker's). */
    public static ServiceSpec named(String name) {
        Matcher extraWorker = EXTRA_WORKER.matcher(name);
        if (extraWorker.matches()) {
            return worker(Integer.parseInt(extraWorker.group(1)));
        }
        return forWorkers(1).stream().filter(spec -> spec.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name + "; the services are "
                        + forWorkers(1).stream().map(ServiceSpec::name).toList() + " and extra calibration workers "
                        + CALIBRATION + "-2, -3, ..."));
    }

    /** Whether this process is a calibration worker. */
    public boolean calibrationWorker() {
        return module.equals(CALIBRATION);
    }

    private static ServiceSpec single(String module, String maxHeap, boolean compiledCodeBound) {
        return new ServiceSpec(module, module, maxHeap, compiledCodeBound);
    }

    private static ServiceSpec worker(int number) {
        return new ServiceSpec(number == 1 ? CALIBRATION : CALIBRATION + "-" + number, CALIBRATION, WORKER_HEAP, true);
    }
}
