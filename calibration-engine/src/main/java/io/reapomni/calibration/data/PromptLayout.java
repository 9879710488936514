package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.audio.AudioTokenCount;
import io.reapomni.common.job.Modality;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Lays a sample out as thinker input ids.
 *
 * <p>Text goes into one user turn of Qwen3-Omni's chat template, followed by the generation prompt, exactly what
 * {@code processor.apply_chat_template(conversation, add_generation_prompt=True)} renders for a single user message
 * without a system message: {@code <|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n}. Why the template:
 * the Instruct model only ever sees chat-formatted input, and calibration must route tokens as they are routed in
 * use. With audio, the audio block comes first in the turn, as the template renders a message whose content lists
 * the audio before the text: {@code <|audio_start|>}, one {@code <|audio_pad|>} per audio token,
 * {@code <|audio_end|>}. The processor expands its single placeholder pad to the clip's token count the same way.
 *
 * <p>Pre-tokenised samples are taken as they are (no template): they must hold exactly one run of audio pads, as
 * long as the audio's token count, when they come with audio, and none otherwise.
 */
public final class PromptLayout {
    private static final String TURN_START = "<|im_start|>user\n";
    private static final String TURN_END = "<|im_end|>\n<|im_start|>assistant\n";

    private final ModelTokenizer tokenizer;
    private final SpecialTokenIds tokens;
    private final int vocabSize;

    public PromptLayout(ModelTokenizer tokenizer, SpecialTokenIds tokens, int vocabSize) throws CalibrationDataException {
        for (String marker : new String[] {"<|im_start|>", "<|im_end|>"}) {
            if (tokenizer.addedTokenId(marker).isEmpty()) {
                throw new CalibrationDataException("tokenizer.json has no " + marker
                        + " token, so Qwen3-Omni's chat template cannot be rendered");
            }
        }
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.vocabSize = vocabSize;
    }

    public PreparedSample text(String id, Modality modality, String text) throws SampleRejectedException {
        int[] ids = tokenizer.encode(TURN_START + text + TURN_END);
        requireNoMediaTokens(ids);
        return new PreparedSample(id, modality, ids, Optional.empty(), -1, 0);
    }

    public PreparedSample textWithAudio(String id, Modality modality, String text, AudioFeatures audio)
            throws SampleRejectedException {
        int[] before = tokenizer.encode(TURN_START);
        int[] after = tokenizer.encode(text + TURN_END);
        requireNoMediaTokens(after);
        int padCount = AudioTokenCount.forFrames(audio.frames());
        int[] ids = new int[before.length + padCount + 2 + after.length];
        System.arraycopy(before, 0, ids, 0, before.length);
        ids[before.length] = tokens.audioStart();
        Arrays.fill(ids, before.length + 1, before.length + 1 + padCount, tokens.audioPad());
        ids[before.length + 1 + padCount] = tokens.audioEnd();
        System.arraycopy(after, 0, ids, before.length + padCount + 2, after.length);
        return new PreparedSample(id, modality, ids, Optional.of(audio), before.length + 1, padCount);
    }

    public PreparedSample pretokenised(String id, Modality modality, int[] inputIds, Optional<AudioFeatures> audio)
            throws SampleRejectedException {
        if (inputIds.length == 0) {
            throw new SampleRejectedException("input_ids is empty");
        }
        for (int tokenId : inputIds) {
            if (tokenId < 0 || tokenId >= vocabSize) {
                throw new SampleRejectedException("input_ids holds " + tokenId + ", outside the vocabulary [0, "
                        + vocabSize + ")");
            }
            if (tokens.isVisual(tokenId)) {
                throw new SampleRejectedException("input_ids holds image or video pads: "
                        + CalibrationSampleReader.VIDEO_UNSUPPORTED);
            }
        }
        int[] runStarts = IntStream.range(0, inputIds.length)
                .filter(i -> inputIds[i] == tokens.audioPad() && (i == 0 || inputIds[i - 1] != tokens.audioPad()))
                .toArray();
        if (audio.isEmpty()) {
            if (runStarts.length > 0) {
                throw new SampleRejectedException("input_ids holds <|audio_pad|> ids but the sample names no audio");
            }
            return new PreparedSample(id, modality, inputIds, Optional.empty(), -1, 0);
        }
        if (runStarts.length != 1) {
            throw new SampleRejectedException("input_ids must hold exactly one run of <|audio_pad|> ids for the "
                    + "sample's audio, not " + runStarts.length);
        }
        int start = runStarts[0];
        int end = start;
        while (end < inputIds.length && inputIds[end] == tokens.audioPad()) {
            end++;
        }
        int expected = AudioTokenCount.forFrames(audio.get().frames());
        if (end - start != expected) {
            throw new SampleRejectedException("input_ids has a run of " + (end - start)
                    + " <|audio_pad|> ids but the audio gives " + expected + " tokens");
        }
        return new PreparedSample(id, modality, inputIds, audio, start, expected);
    }

    /** Text that spells out a media token would make the model expect media that the sample does not give. */
    private void requireNoMediaTokens(int[] ids) throws SampleRejectedException {
        for (int tokenId : ids) {
            if (tokenId == tokens.audioPad() || tokens.isVisual(tokenId)) {
                throw new SampleRejectedException("the text contains a media placeholder token (id " + tokenId
                        + "); media must be named in the sample's \"audio\" field");
            }
        }
    }
}
