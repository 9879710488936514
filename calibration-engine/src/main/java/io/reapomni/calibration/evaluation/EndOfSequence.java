package io.reapomni.calibration.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ReadLimits;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The end-of-sequence ids of a model's {@code generation_config.json} ({@code eos_token_id}: one id or a list), at
 * which greedy generation stops early. A model without that file or key never stops early, as transformers' generate
 * does without one.
 */
record EndOfSequence(Set<Integer> ids) {
    static final String FILE_NAME = "generation_config.json";

    EndOfSequence {
        ids = Set.copyOf(ids);
    }

    static EndOfSequence read(ObjectStore model) throws CalibrationDataException {
        String name = model.location() + "/" + FILE_NAME;
        JsonNode eos;
        try {
            if (!model.exists(FILE_NAME)) {
                return new EndOfSequence(Set.of());
            }
            eos = StrictJson.DOCUMENTS.readTree(model.readAll(FILE_NAME, ReadLimits.MODEL_JSON_BYTES))
                    .path("eos_token_id");
        } catch (IOException e) {
            throw new CalibrationDataException("cannot read " + name + ": " + e.getMessage(), e);
        }
        Set<Integer> ids = new HashSet<>();
        if (eos.isArray()) {
            for (JsonNode id : eos) {
                ids.add(tokenId(id, name));
            }
        } else if (!eos.isMissingNode() && !eos.isNull()) {
            ids.add(tokenId(eos, name));
        }
        return new EndOfSequence(ids);
    }

    boolean isEnd(int id) {
        return ids.contains(id);
    }

    private static int tokenId(JsonNode node, String name) throws CalibrationDataException {
        if (!node.canConvertToInt() || node.asInt() < 0) {
            throw new CalibrationDataException(name + ": eos_token_id holds " + node + ", not a token id");
        }
        return node.asInt();
    }
}
