package io.reapomni.cli.jobs;

import io.reapomni.common.events.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

/** Lists recent jobs and their state, from what the requests and job-events topics still hold. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List recent jobs and their state.")
public final class JobsCommand implements Callable<Integer> {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Show at most N jobs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    BootstrapOption bootstrap;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<JobTable.Row> rows;
        try (TopicReader reader = TopicReader.fromBeginning(bootstrap.resolve(),
                List.of(Topics.REQUESTS, Topics.JOB_EVENTS))) {
            rows = JobTable.of(reader.readToEnd()).recent(limit);
        }
        if (rows.isEmpty()) {
            out.println("No jobs yet.");
        } else {
            out.printf("%-36s  %-20s  %-10s  %s%n", "job", "updated", "state", "model / detail");
            rows.forEach(row -> out.printf("%-36s  %-20s  %-10s  %s  %s%n", row.jobId(),
                    row.updated().truncatedTo(ChronoUnit.SECONDS), row.state(), row.model(),
                    row.detail()));
        }
        out.flush();
        return 0;
    }
}
