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

    /**
     * A part whose process has gone so that jobs on this stack cannot finish, if any. One calibration worker gone is
     * not such a part while another runs: the others take over its tasks.
     */
    public static Optional<StackPart> firstGone(StackState state) {
        List<StackPart> gone = state.parts().stream().filter(part -> OwnedProcess.find(part).isEmpty()).toList();
        long workersGone = gone.stream().filter(StackHealth::calibrationWorker).count();
        boolean workersLeft = workersGone < state.calibrationWorkers();
        return gone.stream().filter(part -> !calibrationWorker(part) || !workersLeft).findFirst();
    }

    static boolean calibrationWorker(StackPart part) {
        return !part.server() && ServiceSpec.named(part.name()).calibrationWorker();
    }

    private static PartHealth check(StackPart part) {
        if (OwnedProcess.find(part).isEmpty()) {
            return new PartHealth(part, PartState.GONE);
        }
        boolean ready = part.server() || ReadinessProbe.isReady(part.port());
        return new PartHealth(part, ready ? PartState.READY : PartState.NOT_READY);
    }
}
