package io.reapomni.cli.stack;

import java.time.Duration;

/**
 * A freshly started stack and how long its start took: each part's time is in its {@link StackPart#startup()};
 * {@code consumers} is the wait, after every service answered ready, until their consumers had their partitions.
 */
public record StackStartup(StackState state, Duration topics, Duration consumers, Duration total) {
}
