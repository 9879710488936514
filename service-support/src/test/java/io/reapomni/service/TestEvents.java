package io.reapomni.service;

import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.storage.StoreLocation;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Small valid events for the tests of the messaging glue; their content does not matter to it. */
final class TestEvents {

    private TestEvents() {
    }

    static JobPlanned planned(String jobId) {
        PlanChoices choices = new PlanChoices(Set.of(), MoeStack.THINKER, List.of(),
                new TreeMap<>(), List.of(3), Optional.empty());
        PruneRequest request = new PruneRequest(StoreLocation.parse("/models/in"), StoreLocation.parse("/models/out"),
                choices, Optional.empty());
        return JobPlanned.of(jobId, request, PruningPlan.empty(), 0);
    }
}
