package io.reapomni.calibration.data;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ReadLimits;

import java.io.IOException;

/** Reads a model's {@code config.json} from its store, local or S3. */
public final class ModelConfigs {
    private ModelConfigs() {
    }

    public static ModelConfig read(ObjectStore model) throws CalibrationDataException {
        String name = model.location() + "/" + Checkpoint.CONFIG_KEY;
        try {
            if (!model.exists(Checkpoint.CONFIG_KEY)) {
                throw new CalibrationDataException(name + " is missing: " + model.location()
                        + " is not a Qwen3-Omni checkpoint");
            }
            return ModelConfig.parse(model.readAll(Checkpoint.CONFIG_KEY, ReadLimits.MODEL_JSON_BYTES));
        } catch (IOException e) {
            throw new CalibrationDataException("cannot use " + name + ": " + e.getMessage(), e);
        }
    }
}
