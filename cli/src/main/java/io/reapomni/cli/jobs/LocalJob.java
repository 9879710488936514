package io.reapomni.cli.jobs;

import io.reapomni.cli.stack.StackHealth;
import io.reapomni.cli.stack.StackSession;
import io.reapomni.common.events.PruneRequested;
import io.reapomni.common.events.Topics;
import io.reapomni.common.storage.LocalRoots;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A job on local folders through the embedded stack: the request names the user's own folders, the services read
 * the model from them and write the output into them (kernel-side copies, staged beside the output and renamed into
 * place), and the reports name them.
 */
public final class LocalJob {

    private LocalJob() {
    }

    /**
     * Runs the job and follows it to its end.
     *
     * @param request  its output a folder that is missing or empty (the caller checks it before the stack is started)
     * @param patience how long to wait for the job, and for the services to answer
     * @return how the job ended
     * @throws IllegalArgumentException when the stack's services may not use a folder of the job
     * @throws IOException              when the job cannot end because a part of the stack has stopped, or its
     *                                  services stop answering
     */
    public static JobOutcome run(StackSession stack, String jobId, LocalPruneRequest request, Patience patience,
                                 PrintWriter out) throws IOException {
        requireAllowed(stack, request);
        try (TopicReader events = TopicReader.fromNow(stack.state().kafka(), List.of(Topics.JOB_EVENTS))) {
            RequestPublisher.publish(stack.state().kafka(), Topics.REQUESTS,
                    PruneRequested.of(jobId, request.toPruneRequest()));
            out.println("Job " + jobId + ": " + request.model() + " → "
                    + request.output().map(Path::toString).orElse("a plan (dry run)"));
            out.flush();
            return JobWatch.follow(events, jobId, out, () -> StackHealth.firstGone(stack.state())
                    .map(part -> part.name() + " has stopped; its log is " + part.logFile()), patience);
        }
    }

    /**
     * The services would refuse a folder outside the stack's local roots; a running stack started for other folders
     * is told here, before anything is published, with what to do about it.
     */
    private static void requireAllowed(StackSession stack, LocalPruneRequest request) {
        LocalRoots roots = stack.state().localRoots();
        List<Path> refused = new ArrayList<>(request.readFolders().stream()
                .filter(folder -> !roots.readable(new StoreLocation.Local(folder))).toList());
        request.output().filter(output -> !roots.writable(new StoreLocation.Local(output))).ifPresent(refused::add);
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("the running stack in " + stack.folder().root() + " may only use the"
                    + " folders under " + roots + ", not " + refused + ": stop it (reap-omni stack down) and start it"
                    + " with --local-root for those folders, or let this command start a stack of its own for them");
        }
    }
}
