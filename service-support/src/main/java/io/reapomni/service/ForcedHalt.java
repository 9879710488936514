package io.reapomni.service;

import java.time.Duration;

/**
 * Halts the JVM with a status after a delay, unless it has ended by then: the last resort when a graceful shutdown
 * may hang. A zero delay schedules nothing, for a process whose shutdown must stay graceful (a test JVM that runs an
 * application inside itself).
 */
public final class ForcedHalt {

    private ForcedHalt() {
    }

    public static void after(Duration delay, int status) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(status);
        }, "forced-halt");
        halt.setDaemon(true);
        halt.start();
    }
}
