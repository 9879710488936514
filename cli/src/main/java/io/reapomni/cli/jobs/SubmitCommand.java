package io.reapomni.cli.jobs;

import io.reapomni.cli.kafka.KafkaConnection;
import io.reapomni.cli.options.CalibrationFlags;
import io.reapomni.cli.options.JobIdConverter;
import io.reapomni.cli.options.PruningFlags;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.events.Topics;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.storage.StoreLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/** Publishes a pruning request to a Kafka cluster whose services read and write an S3 store. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Publish a pruning job to running services (locations as the services see them, e.g. s3://...).")
public final class SubmitCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model-path"}, required = true, paramLabel = "SRC", description = "The model, e.g. s3://models/qwen3-omni.")
    String modelPath;

    @Option(names = {"-o", "--output-path"}, required = true, paramLabel = "DST", description = "Where the pruned model goes, e.g. s3://models/pruned.")
    String outputPath;

    @Option(names = "--job-id", paramLabel = "ID", converter = JobIdConverter.class,
            description = "The job's id (default: random): 1 to 64 letters, digits, '.', '_' and '-'.")
    String jobId;

    @Option(names = "--follow", description = "Show the job's progress until it ends; exit 1 when it fails or its"
            + " services stop answering (--idle-timeout).")
    boolean follow;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "With --follow: give up waiting after this long.")
    Long timeoutSeconds;

    @Mixin
    IdleTimeoutOption idle;

    @Mixin
    BootstrapOption bootstrap;

    @Mixin
    PruningFlags pruning;

    @Mixin
    CalibrationFlags calibration;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PruneRequest request = new PruneRequest(StoreLocation.parse(modelPath), StoreLocation.parse(outputPath),
                pruning.choices(), calibration.settings());
        String job = jobId != null ? jobId : UUID.randomUUID().toString();
        KafkaConnection kafka = bootstrap.resolve();
        if (!follow) {
            RequestPublisher.publish(kafka, Topics.REQUESTS, PruneRequested.of(job, request));
            out.println("Submitted job " + job + " (" + modelPath + " → " + outputPath + "); follow it with:"
                    + " reap-omni follow " + job + " --bootstrap-servers " + kafka.bootstrapServers());
            out.flush();
            return 0;
        }
        try (TopicReader events = TopicReader.fromNow(kafka, List.of(Topics.JOB_EVENTS))) {
            RequestPublisher.publish(kafka, Topics.REQUESTS, PruneRequested.of(job, request));
            out.println("Submitted job " + job + " (" + modelPath + " → " + outputPath + ")");
            out.flush();
            JobOutcome outcome = JobWatch.follow(events, job, out, JobWatch.Health.ASSUMED,
                    new Patience(Optional.ofNullable(timeoutSeconds).map(Duration::ofSeconds), idle.silence()));
            return OutcomeReport.print(out, spec.commandLine().getErr(), outcome, outputPath);
        }
    }
}
