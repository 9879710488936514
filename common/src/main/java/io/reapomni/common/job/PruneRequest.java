package io.reapomni.common.job;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.reapomni.common.storage.OptionalStoreLocationJson;
import io.reapomni.common.storage.StoreLocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a user asks of a pruning job, the payload of the {@code PruneRequested} event that starts it: where the model
 * is and where the pruned one goes, the static choices ({@link PlanChoices}), and the calibrated method's settings. Checked for consistency on
 * construction; checked against the model when the job is planned.
 *
 * @param outputPath where the pruned model goes; empty only for a dry run, which writes no model (in JSON an empty
 *                   string, as before locations were typed)
 * @param dryRun     the job ends with its plan ({@code PlanProposed}, after calibration and scoring when the request
 *                   scores anything) for a person to review, instead of writing a model
 */
public record PruneRequest(StoreLocation modelPath,
                           @JsonSerialize(using = OptionalStoreLocationJson.Writer.class)
                           @JsonDeserialize(using = OptionalStoreLocationJson.Reader.class)
                           Optional<StoreLocation> outputPath,
                           PlanChoices choices, Optional<CalibrationSettings> calibration, boolean dryRun) {

    public PruneRequest {
        List<String> problems = new ArrayList<>();
        if (modelPath == null) {
            problems.add("the model path is missing");
        }
        if (outputPath == null || outputPath.isEmpty() && !dryRun) {
            problems.add("the output path is missing");
        }
        if (choices.savedPlan().isPresent()
                && calibration.map(CalibrationSettings::scoresExpertsOrLayers).orElse(false)) {
            problems.add("a saved plan (--plan) is executed as it is: leave out the calibration flags (--audio-data"
                    + " alone evaluates the written model)");
        }
        if (calibration.isPresent() && calibration.get().retentionRate().isPresent() && choices.listsExperts()) {
            problems.add("experts are either scored (--retention-rate) or listed (--keep-experts, --expert-plan), not both");
        }
        if (calibration.isPresent() && calibration.get().maxLayers() > 0 && !choices.pruneLayers().isEmpty()) {
            problems.add("layers are either scored (--max-layers) or listed (--prune-layers), not both");
        }
        if (choices.isEmpty() && !calibration.map(CalibrationSettings::scoresExpertsOrLayers).orElse(false)) {
            problems.add("nothing to prune: give --strip-vision, --strip-talker, --keep-experts, --expert-plan,"
                    + " --prune-layers, --plan, or a calibrated choice (--retention-rate, --max-layers)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** A request that writes its pruned model to {@code outputPath}. */
    public PruneRequest(StoreLocation modelPath, StoreLocation outputPath, PlanChoices choices,
                        Optional<CalibrationSettings> calibration) {
        this(modelPath, Optional.of(outputPath), choices, calibration, false);
    }

    /** Whether the job needs calibration statistics before it can be planned. */
    public boolean needsCalibration() {
        return calibration.map(CalibrationSettings::scoresExpertsOrLayers).orElse(false);
    }
}
