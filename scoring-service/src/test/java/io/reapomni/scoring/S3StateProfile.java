package io.reapomni.scoring;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The scoring state in the test S3 endpoint's bucket, as a deployment keeps it. */
public final class S3StateProfile implements QuarkusTestProfile {
    static final String STATE = "s3://models/scoring-state";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("reap.state.location", STATE);
    }
}
