package io.reapomni.devtools.calibrationdata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.job.Modality;
import io.reapomni.common.json.StrictJson;

import java.util.Optional;

/**
 * One sample of a calibration JSONL file as DESIGN.md (Calibration) defines it, media named relative to the file.
 */
public record CalibrationLine(String id, String text, Modality modality, Optional<String> audio,
                             Optional<String> video) {
    /** The line's JSON, fields in the order of the format's description. */
    public String toJson() {
        ObjectNode node = StrictJson.MAPPER.createObjectNode()
                .put("id", id)
                .put("text", text)
                .put("modality", modality.id());
        audio.ifPresent(file -> node.put("audio", file));
        video.ifPresent(file -> node.put("video", file));
        return node.toString();
    }
}
