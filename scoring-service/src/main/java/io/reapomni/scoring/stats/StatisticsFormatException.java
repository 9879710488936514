package io.reapomni.scoring.stats;

/** A statistics document that is not what the calibration engine writes; the message names the field. */
public class StatisticsFormatException extends Exception {
    public StatisticsFormatException(String message) {
        super(message);
    }
}
