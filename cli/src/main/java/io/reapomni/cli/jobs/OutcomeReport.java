package io.reapomni.cli.jobs;

import io.reapomni.cli.ExitCodes;
import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.format.Units;

import java.io.PrintWriter;

/** Prints how a job ended and turns it into the command's exit status. */
public final class OutcomeReport {

    private OutcomeReport() {
    }

    /**
     * @param outputShownAs where the user finds the output: the local folder for a job on the embedded stack, else
     *                      the event's own location
     */
    public static int print(PrintWriter out, PrintWriter err, JobOutcome outcome, String outputShownAs) {
        if (outcome instanceof JobOutcome.Completed completed) {
            JobCompleted event = completed.event();
            out.printf("%nJob %s completed in %.1f s: %d files, %s written to %s%n", event.jobId(), event.seconds(),
                    event.files(), Units.bytes(event.bytes()), outputShownAs);
            out.printf("Parameters %s → %s (%s); report in %s/REPORT.md%n", Units.count(event.parametersBefore()),
                    Units.count(event.parametersAfter()), Units.change(event.parametersBefore(),
                            event.parametersAfter()), outputShownAs);
            event.quality().ifPresent(quality -> out.println(capitalised(quality.describe("held-out audio samples"))));
            out.flush();
            return ExitCodes.OK;
        }
        if (outcome instanceof JobOutcome.Proposed proposed) {
            out.printf("%nJob %s proposed its plan (a dry run): nothing was written%n", proposed.event().jobId());
            out.flush();
            return ExitCodes.OK;
        }
        JobFailed event = ((JobOutcome.Failed) outcome).event();
        err.printf("Job %s failed in %s: %s%n", event.jobId(), event.phase().id(), event.reason());
        err.flush();
        return ExitCodes.FAILED;
    }

    private static String capitalised(String line) {
        return Character.toUpperCase(line.charAt(0)) + line.substring(1);
    }
}
