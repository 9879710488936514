package io.reapomni.calibration.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleLines;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.json.StrictJson;
import io.reapomni.common.storage.LocalObjectStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads calibration JSONL (DESIGN.md, Calibration): one JSON object a line with a string {@code id}, a
 * {@code modality} of audio, video or mixed, and either {@code text} or pre-tokenised {@code input_ids}; optionally
 * {@code audio} and {@code video} naming a file (for video also a folder of frames) relative to the JSONL's folder.
 * Blank lines are no samples ({@link SampleLines}). A line that cannot be used (too long, not UTF-8, not a usable
 * sample) becomes a {@link SampleProblem} and the file goes on.
 *
 * <p>Each file is one data set of the audio-affinity score (S1 audio, S2 video, S3 mixed), so its statistics are
 * that data set's: a line without {@code modality} belongs to the file's data set, and a line that names another
 * modality is refused rather than silently counted towards the wrong score.
 *
 * <p>What a line must name follows from its data set, so that each score measures what it claims: an audio line may
 * name an audio file and no video, a video line must name a video (a file, or a folder of frames) and no audio, and
 * a mixed line must name both.
 */
public final class CalibrationSampleReader {
    private CalibrationSampleReader() {
    }

    /**
     * The samples of {@code range} ({@link SampleLines}: non-blank lines, usable or not) of a local JSONL file, its
     * media read in place.
     */
    public static CalibrationLines read(Path jsonl, Modality dataSet, SampleRange range)
            throws CalibrationDataException {
        Path file = jsonl.toAbsolutePath().normalize();
        try {
            List<SampleLines.Line> lines = SampleLines.range(new LocalObjectStore(file.getParent()),
                    file.getFileName().toString(), range);
            return read(lines, dataSet, MediaResolver.localFolder(file.getParent()));
        } catch (IOException e) {
            throw new CalibrationDataException("cannot read the calibration file " + jsonl + ": " + e.getMessage(), e);
        }
    }

    /**
     * The samples among {@code lines} (from {@link SampleLines}) of a file of {@code dataSet}, their media resolved by
     * {@code media}.
     *
     * @throws IOException when {@code media} cannot read the store holding the media
     */
    public static CalibrationLines read(List<SampleLines.Line> lines, Modality dataSet, MediaResolver media)
            throws IOException {
        List<CalibrationSample> samples = new ArrayList<>();
        List<SampleProblem> problems = new ArrayList<>();
        for (SampleLines.Line line : lines) {
            if (line instanceof SampleLines.Line.Unreadable unreadable) {
                problems.add(new SampleProblem(Optional.empty(), line.lineNumber(), unreadable.reason()));
                continue;
            }
            Optional<String> id = Optional.empty();
            try {
                JsonNode node = parse(((SampleLines.Line.Text) line).text());
                id = idOf(node);
                samples.add(sample(node, id.orElseThrow(() -> new SampleRejectedException(
                        "missing id: every sample needs a non-empty string \"id\"")), line.lineNumber(), media,
                        dataSet));
            } catch (SampleRejectedException e) {
                problems.add(new SampleProblem(id, line.lineNumber(), e.getMessage()));
            }
        }
        return new CalibrationLines(samples, problems);
    }

    private static JsonNode parse(String line) throws SampleRejectedException {
        JsonNode node;
        try {
            node = StrictJson.DOCUMENTS.readTree(line);
        } catch (JsonProcessingException e) {
            throw new SampleRejectedException("malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new SampleRejectedException("malformed JSON: a sample must be a JSON object");
        }
        return node;
    }

    private static Optional<String> idOf(JsonNode node) {
        JsonNode id = node.path("id");
        return id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText()) : Optional.empty();
    }

    private static CalibrationSample sample(JsonNode node, String id, int line, MediaResolver media,
                                            Modality dataSet) throws SampleRejectedException, IOException {
        Modality modality = modality(node.path("modality"), dataSet);
        Optional<String> audio = mediaReference(node, "audio");
        Optional<String> video = mediaReference(node, "video");
        requireMediaOf(modality, audio, video);
        SampleContent content = content(node);
        return new CalibrationSample(id, line, modality, content, resolve(audio, media), resolve(video, media));
    }

    private static Optional<Path> resolve(Optional<String> reference, MediaResolver media)
            throws SampleRejectedException, IOException {
        return reference.isPresent() ? Optional.of(media.resolve(reference.get())) : Optional.empty();
    }

    private static void requireMediaOf(Modality modality, Optional<String> audio, Optional<String> video)
            throws SampleRejectedException {
        switch (modality) {
            case AUDIO -> {
                if (video.isPresent()) {
                    throw new SampleRejectedException("an audio sample names a video: give audio with video in the "
                            + "mixed data");
                }
            }
            case VIDEO -> {
                if (video.isEmpty()) {
                    throw new SampleRejectedException("a video sample needs \"video\": a video file or a folder of "
                            + "frames");
                }
                if (audio.isPresent()) {
                    throw new SampleRejectedException("a video sample names audio: give video with audio in the "
                            + "mixed data");
                }
            }
            case MIXED -> {
                if (video.isEmpty() || audio.isEmpty()) {
                    throw new SampleRejectedException("a mixed sample needs both \"video\" (a video file or a "
                            + "folder of frames) and \"audio\"");
                }
            }
        }
    }

    private static Modality modality(JsonNode value, Modality dataSet) throws SampleRejectedException {
        if (value.isMissingNode()) {
            return dataSet;
        }
        for (Modality modality : Modality.values()) {
            if (modality.id().equals(value.asText())) {
                if (modality != dataSet) {
                    throw new SampleRejectedException("a " + modality.id() + " sample in the " + dataSet.id()
                            + " calibration data: give it in the " + modality.id() + " data instead");
                }
                return modality;
            }
        }
        throw new SampleRejectedException("unknown modality " + value + " (audio, video or mixed)");
    }

    private static SampleContent content(JsonNode node) throws SampleRejectedException {
        JsonNode text = node.path("text");
        JsonNode ids = node.path("input_ids");
        if (!text.isMissingNode() && !ids.isMissingNode()) {
            throw new SampleRejectedException("both \"text\" and \"input_ids\": give one or the other");
        }
        if (!ids.isMissingNode()) {
            if (!ids.isArray()) {
                throw new SampleRejectedException("\"input_ids\" must be an array of token ids");
            }
            int[] values = new int[ids.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode value = ids.get(i);
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw new SampleRejectedException("\"input_ids\"[" + i + "] is not a token id: " + value);
                }
                values[i] = value.asInt();
            }
            return new SampleContent.TokenIds(values);
        }
        if (!text.isTextual()) {
            throw new SampleRejectedException(text.isMissingNode()
                    ? "missing text: a sample needs \"text\" or \"input_ids\"" : "\"text\" must be a string");
        }
        if (text.asText().isBlank()) {
            throw new SampleRejectedException("empty text");
        }
        return new SampleContent.Text(text.asText());
    }

    private static Optional<String> mediaReference(JsonNode node, String field) throws SampleRejectedException {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new SampleRejectedException("\"" + field + "\" must name a file, not " + value);
        }
        return Optional.of(value.asText());
    }
}
