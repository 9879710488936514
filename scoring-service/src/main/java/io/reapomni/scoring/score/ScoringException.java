package io.reapomni.scoring.score;

/** Scoring cannot make a plan, for a reason its user can act on; the message is that reason. */
public class ScoringException extends Exception {
    public ScoringException(String reason) {
        super(reason);
    }
}
