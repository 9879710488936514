package io.reapomni.calibration;

import io.reapomni.calibration.data.CalibrationData;
import io.reapomni.calibration.model.ProgressListener;
import io.reapomni.common.job.Modality;

/** Told how a calibration run advances: each data set once prepared, then the engine's progress. */
public interface CalibrationListener extends ProgressListener {
    CalibrationListener NONE = (layersDone, totalLayers, tokens) -> { };

    /** Before any data set is read. */
    default void preparing(Modality dataSet) {
    }

    default void prepared(Modality dataSet, CalibrationData data) {
    }
}
