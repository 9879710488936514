package io.reapomni.calibration;

import io.reapomni.calibration.model.RunReport;
import io.reapomni.common.calibration.CalibrationStats;

/** A calibration run's statistics (with every skipped sample and why), and what the run cost layer by layer. */
public record CalibrationResult(CalibrationStats statistics, RunReport run) {
}
