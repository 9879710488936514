package io.reapomni.calibration.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.common.checkpoint.ModelConfig;

import java.util.OptionalInt;

/**
 * The token ids that frame media in the thinker's input. Each is read from {@code thinker_config} where the config
 * has it and otherwise from the tokenizer's added token of the same role (the hub checkpoint and the fixture both omit
 * some keys, e.g. {@code audio_end_token_id}); where both have it they must agree, or text would tokenise to ids the
 * model reads differently.
 */
public record SpecialTokenIds(int audioPad, int audioStart, int audioEnd, int imagePad, int videoPad, int visionStart,
                              int visionEnd) {

    public static SpecialTokenIds resolve(ModelConfig config, ModelTokenizer tokenizer) throws CalibrationDataException {
        return new SpecialTokenIds(
                resolve(config, "audio_token_id", tokenizer, "<|audio_pad|>"),
                resolve(config, "audio_start_token_id", tokenizer, "<|audio_start|>"),
                resolve(config, "audio_end_token_id", tokenizer, "<|audio_end|>"),
                resolve(config, "image_token_id", tokenizer, "<|image_pad|>"),
                resolve(config, "video_token_id", tokenizer, "<|video_pad|>"),
                resolve(config, "vision_start_token_id", tokenizer, "<|vision_start|>"),
                resolve(config, "vision_end_token_id", tokenizer, "<|vision_end|>"));
    }

    private static int resolve(ModelConfig config, String key, ModelTokenizer tokenizer, String token)
            throws CalibrationDataException {
        JsonNode configured = config.at("/thinker_config/" + key);
        OptionalInt inTokenizer = tokenizer.addedTokenId(token);
        if (configured.isMissingNode() || configured.isNull()) {
            return inTokenizer.orElseThrow(() -> new CalibrationDataException("neither config.json (thinker_config."
                    + key + ") nor tokenizer.json (added token " + token + ") gives the id of " + token));
        }
        if (!configured.canConvertToInt() || configured.asInt() < 0) {
            throw new CalibrationDataException("config.json thinker_config." + key + " is not a token id: "
                    + configured);
        }
        int id = configured.asInt();
        if (inTokenizer.isPresent() && inTokenizer.getAsInt() != id) {
            throw new CalibrationDataException("config.json says thinker_config." + key + " = " + id
                    + " but tokenizer.json maps " + token + " to " + inTokenizer.getAsInt());
        }
        return id;
    }

    public boolean isVisual(int id) {
        return id == imagePad || id == videoPad;
    }
}
