package io.reapomni.service;

import java.time.Duration;

/**
 * A process whose shutdown hangs, as a damaged service's may: its only way out is {@link ForcedHalt}, scheduled
 * for the number of milliseconds given as the argument.
 */
public final class HangingShutdown {

    private HangingShutdown() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        ForcedHalt.after(Duration.ofMillis(Long.parseLong(args[0])), ServiceExit.EXIT_STATUS);
        System.exit(0);
    }
}
