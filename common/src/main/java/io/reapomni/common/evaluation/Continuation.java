package io.reapomni.common.evaluation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Objects;

/**
 * A model's greedy continuation of a whole sample: the new token ids (at most the requested number; fewer when the
 * model emitted an end-of-sequence id of its generation config, which is included) and their decoded text.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Continuation(List<Integer> tokenIds, String text, boolean stoppedAtEos) {
    public Continuation {
        tokenIds = List.copyOf(tokenIds);
        Objects.requireNonNull(text, "text");
    }
}
