package io.reapomni.cli.stack;

import java.time.Duration;

/** A freshly started stack and how long its start took: each part's time is in its {@link StackPart#startup()}. */
public record StackStartup(StackState state, Duration topics, Duration total) {
}
