package io.reapomni.common.rewrite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reapomni.common.job.JobIds;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.plan.PlanJson;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Which job owns an output, and what it writes there: the job id and a fingerprint of the request that decides the
 * output's bytes (the model's location and the plan without its evidence, since scores carried along change no
 * tensor). It is recorded where the job writes (the {@code .reap-job} marker of its staging area) and in the
 * manifest of what it published, so that a job id used again for another request is refused instead of being taken
 * for the same job.
 */
public record JobClaim(String jobId, String fingerprint) {
    public JobClaim {
        JobIds.validate(jobId);
    }

    /** The claim of job {@code jobId} executing {@code plan} on the model at {@code source}. */
    public static JobClaim of(String jobId, StoreLocation source, PruningPlan plan) {
        byte[] request;
        try {
            request = StrictJson.MAPPER.writeValueAsBytes(List.of(source.toString(),
                    PlanJson.toTree(plan.withEvidence(JsonNodeFactory.instance.objectNode()))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a location and a JSON tree always serialise", e);
        }
        try {
            return new JobClaim(jobId, SegmentDigest.sha256(List.of(new Segment.Bytes(request))));
        } catch (IOException e) {
            throw new IllegalStateException("hashing bytes in memory reads nothing", e);
        }
    }

    byte[] toJson() {
        try {
            return StrictJson.MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("two strings always serialise", e);
        }
    }

    /** A claim as {@link #toJson()} wrote it; empty when the bytes are not one (not written by this version). */
    static Optional<JobClaim> fromJson(byte[] json) {
        try {
            JobClaim claim = StrictJson.MAPPER.readValue(json, JobClaim.class);
            return claim.fingerprint() == null ? Optional.empty() : Optional.of(claim);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Refuses {@code location} for this claim unless what it holds ({@code what}, e.g. "the model published by") was
     * written for this very claim: another job's output is refused, and so is this job id's output for another
     * request (a fingerprint that differs, or none, from a version that did not record it).
     */
    void requireSameAs(String holderJobId, String holderFingerprint, StoreLocation location, String what)
            throws OutputExistsException {
        if (jobId.equals(holderJobId) && fingerprint.equals(holderFingerprint)) {
            return;
        }
        if (jobId.equals(holderJobId)) {
            throw new OutputExistsException(location, "holds " + what + " job " + jobId + " for another model or"
                    + " plan (a job id names one request: give this one another job id, or another output)");
        }
        throw new OutputExistsException(location, "holds " + what + " job " + holderJobId);
    }
}
