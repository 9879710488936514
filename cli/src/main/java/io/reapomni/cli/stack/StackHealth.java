package io.reapomni.cli.stack;

import java.util.List;
import java.util.Optional;

/** What is running of a recorded stack, asked of the processes themselves (and of the services' readiness). */
public final class StackHealth {

    public enum PartState { READY, NOT_READY, GONE }

    public record PartHealth(StackPart part, PartState state) {
    }

    private StackHealth() {
    }

    public static List<PartHealth> check(StackState state) {
        return state.parts().stream().map(StackHealth::check).toList();
    }

    /** Whether every part runs, and every service answers ready: a stack that jobs can use. */
    public static boolean isUp(StackState state) {
        return check(state).stream().allMatch(health -> health.state() == PartState.READY);
    }

    /** A part whose process has gone (so jobs on this stack cannot finish), if any. */
    public static Optional<StackPart> firstGone(StackState state) {
        return state.parts().stream().filter(part -> OwnedProcess.find(part).isEmpty()).findFirst();
    }

    private static PartHealth check(StackPart part) {
        if (OwnedProcess.find(part).isEmpty()) {
            return new PartHealth(part, PartState.GONE);
        }
        boolean ready = part.server() || ReadinessProbe.isReady(part.port());
        return new PartHealth(part, ready ? PartState.READY : PartState.NOT_READY);
    }
}
