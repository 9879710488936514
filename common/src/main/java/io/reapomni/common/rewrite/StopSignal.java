package io.reapomni.common.rewrite;

/**
 * Asks a running rewrite to stop after the file it is writing (a service shutting down). The rewrite checks it
 * between files; an interrupt of the rewriting thread stops it at once, mid-file.
 */
@FunctionalInterface
public interface StopSignal {
    StopSignal NEVER = () -> false;

    boolean stopRequested();
}
