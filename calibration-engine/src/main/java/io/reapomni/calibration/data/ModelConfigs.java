package io.reapomni.calibration.data;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ReadLimits;

import java.io.IOException;

/** Reads a model's {@code config.json} from its store, local or S3: alone, or with the rest of its checkpoint. */
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

    /**
     * The model's checkpoint (config, index and shard headers; no tensor data), so that one reading of its
     * {@code config.json} serves both its config and where its weights lie.
     *
     * @throws CalibrationDataException when it is not a checkpoint reap-omni reads: no or a bad config, an index or
     *                                  shards that do not agree
     * @throws IOException              when the store cannot be read
     */
    public static Checkpoint openCheckpoint(ObjectStore model) throws CalibrationDataException, IOException {
        try {
            return Checkpoint.open(model);
        } catch (CheckpointException e) {
            throw new CalibrationDataException("cannot use the checkpoint at " + model.location() + ": "
                    + e.getMessage(), e);
        }
    }
}
