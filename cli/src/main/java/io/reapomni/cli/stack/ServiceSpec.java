package io.reapomni.cli.stack;

import java.util.List;

/**
 * A service of the stack: its Maven module (whose {@code target/quarkus-app/quarkus-run.jar} runs it) and its heap.
 */
public record ServiceSpec(String module, String maxHeap) {

    /** The services of a job, in the order the events flow through them. */
    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("strip-service", "256m"),
            new ServiceSpec("calibration-service", "256m"),
            new ServiceSpec("scoring-service", "256m"),
            // Streams tensors in bounded buffers, never whole shards.
            new ServiceSpec("shard-writer-service", "512m"));

    public static ServiceSpec named(String module) {
        return ALL.stream().filter(spec -> spec.module().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + module + "; the services are "
                        + ALL.stream().map(ServiceSpec::module).toList()));
    }
}
