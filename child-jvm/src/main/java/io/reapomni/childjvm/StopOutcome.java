package io.reapomni.childjvm;

/** How a child process ended when asked to stop. */
public enum StopOutcome {
    /** It had ended already. */
    ALREADY_ENDED,
    /** It ended after SIGTERM, running its shutdown hooks. */
    TERMINATED,
    /** It ignored SIGTERM for the grace period and was killed. */
    KILLED
}
