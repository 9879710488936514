package io.reapomni.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an expert's summed saliency is divided by (DESIGN.md, Scoring). */
public enum SaliencyNormalization {
    /** REAP: by the tokens routed to the expert, so a rarely chosen but strong expert still scores high. */
    REAP("reap"),
    /** The seed README's form: by all tokens of the data set, which also rewards being chosen often. */
    ALL_TOKENS("all-tokens");

    private final String id;

    SaliencyNormalization(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static SaliencyNormalization parse(String id) {
        for (SaliencyNormalization normalization : values()) {
            if (normalization.id.equals(id)) {
                return normalization;
            }
        }
        throw new IllegalArgumentException("unknown saliency normalization \"" + id + "\": expected reap or all-tokens");
    }
}
