package io.reapomni.cli.jobs;

import io.reapomni.cli.options.JobIdConverter;
import io.reapomni.common.events.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Shows a job's progress from its events, from the start, until it ends. */
@Command(name = "follow", mixinStandardHelpOptions = true,
        description = "Show a job's progress until it completes (summary and output) or fails (reason; exit 1).")
public final class FollowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "JOB", converter = JobIdConverter.class, description = "The job id (see: reap-omni jobs).")
    String jobId;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up waiting after this long.")
    Long timeoutSeconds;

    @Mixin
    IdleTimeoutOption idle;

    @Mixin
    BootstrapOption bootstrap;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (TopicReader events = TopicReader.fromBeginning(bootstrap.resolve(), List.of(Topics.JOB_EVENTS))) {
            JobOutcome outcome = JobWatch.follow(events, jobId, out, JobWatch.Health.ASSUMED,
                    new Patience(Optional.ofNullable(timeoutSeconds).map(Duration::ofSeconds), idle.silence()));
            String output = outcome instanceof JobOutcome.Completed completed
                    ? completed.event().outputPath().toString() : "";
            return OutcomeReport.print(out, spec.commandLine().getErr(), outcome, output);
        }
    }
}
