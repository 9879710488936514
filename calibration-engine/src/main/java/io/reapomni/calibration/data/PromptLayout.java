package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.audio.AudioTokenCount;
import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.common.job.Modality;

import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * Lays a sample out as thinker input ids.
 *
 * <p>Text goes into one user turn of Qwen3-Omni's chat template, followed by the generation prompt, exactly what
 * {@code processor.apply_chat_template(conversation, add_generation_prompt=True)} renders for a single user message
 * without a system message: {@code <|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n}. Why the template:
 * the Instruct model only ever sees chat-formatted input, and calibration must route tokens as they are routed in
 * use. Media come first in the turn, as the template renders a message whose content lists them before the text:
 * a video block ({@code <|vision_start|>}, one {@code <|video_pad|>} per video token, {@code <|vision_end|>}), then
 * an audio block ({@code <|audio_start|>}, one {@code <|audio_pad|>} per audio token, {@code <|audio_end|>}); that
 * order is the fixture's {@code mixed.} input, audio and video given separately rather than interleaved. The
 * processor expands each single placeholder pad to the medium's token count the same way.
 *
 * <p>Pre-tokenised samples are taken as they are (no template): for each medium they come with they must hold
 * exactly one run of its pads, as long as its token count, and none of a medium they do not name.
 */
public final class PromptLayout {
    private static final String TURN_START = "<|im_start|>user\n";
    private static final String TURN_END = "<|im_end|>\n<|im_start|>assistant\n";

    private final ModelTokenizer tokenizer;
    private final SpecialTokenIds tokens;
    private final int vocabSize;
    private final int videoMergeSize;

    /**
     * @param videoMergeSize patches per side of the blocks that the vision merger turns into one video token
     */
    public PromptLayout(ModelTokenizer tokenizer, SpecialTokenIds tokens, int vocabSize, int videoMergeSize)
            throws CalibrationDataException {
        for (String marker : new String[] {"<|im_start|>", "<|im_end|>"}) {
            if (tokenizer.addedTokenId(marker).isEmpty()) {
                throw new CalibrationDataException("tokenizer.json has no " + marker
                        + " token, so Qwen3-Omni's chat template cannot be rendered");
            }
        }
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.vocabSize = vocabSize;
        this.videoMergeSize = videoMergeSize;
    }

    public PreparedSample text(String id, Modality modality, String text, SampleMedia media)
            throws SampleRejectedException {
        if (media.isEmpty()) {
            int[] ids = tokenizer.encode(TURN_START + text + TURN_END);
            requireNoMediaTokens(ids);
            return new PreparedSample(id, modality, ids, Optional.empty(), Optional.empty());
        }
        int[] after = tokenizer.encode(text + TURN_END);
        requireNoMediaTokens(after);
        IntStream.Builder ids = IntStream.builder();
        int[] before = tokenizer.encode(TURN_START);
        IntStream.of(before).forEach(ids);
        int next = before.length;
        Optional<MediaRun<VideoPatches>> video = Optional.empty();
        if (media.video().isPresent()) {
            video = Optional.of(block(ids, next, tokens.visionStart(), tokens.videoPad(), tokens.visionEnd(),
                    media.video().get(), videoTokens(media.video().get())));
            next = video.get().end() + 1;
        }
        Optional<MediaRun<AudioFeatures>> audio = Optional.empty();
        if (media.audio().isPresent()) {
            audio = Optional.of(block(ids, next, tokens.audioStart(), tokens.audioPad(), tokens.audioEnd(),
                    media.audio().get(), audioTokens(media.audio().get())));
        }
        IntStream.of(after).forEach(ids);
        return new PreparedSample(id, modality, ids.build().toArray(), audio, video);
    }

    public PreparedSample pretokenised(String id, Modality modality, int[] inputIds, SampleMedia media)
            throws SampleRejectedException {
        if (inputIds.length == 0) {
            throw new SampleRejectedException("input_ids is empty");
        }
        for (int tokenId : inputIds) {
            if (tokenId < 0 || tokenId >= vocabSize) {
                throw new SampleRejectedException("input_ids holds " + tokenId + ", outside the vocabulary [0, "
                        + vocabSize + ")");
            }
            if (tokenId == tokens.imagePad()) {
                throw new SampleRejectedException("input_ids holds <|image_pad|> ids: calibration takes videos, not "
                        + "images");
            }
        }
        return new PreparedSample(id, modality, inputIds,
                padRun(inputIds, tokens.audioPad(), "<|audio_pad|>", "audio", media.audio(), this::audioTokens),
                padRun(inputIds, tokens.videoPad(), "<|video_pad|>", "video", media.video(), this::videoTokens));
    }

    /** Appends {@code start}, {@code count} pads and {@code end} at position {@code at}; returns the pads' run. */
    private static <T> MediaRun<T> block(IntStream.Builder ids, int at, int start, int pad, int end, T media,
                                         int count) {
        ids.add(start);
        IntStream.range(0, count).forEach(i -> ids.add(pad));
        ids.add(end);
        return new MediaRun<>(media, at + 1, count);
    }

    private static <T> Optional<MediaRun<T>> padRun(int[] inputIds, int padId, String padName, String medium,
                                                    Optional<T> media, ToIntFunction<T> tokenCount)
            throws SampleRejectedException {
        int[] runStarts = IntStream.range(0, inputIds.length)
                .filter(i -> inputIds[i] == padId && (i == 0 || inputIds[i - 1] != padId))
                .toArray();
        if (media.isEmpty()) {
            if (runStarts.length > 0) {
                throw new SampleRejectedException("input_ids holds " + padName + " ids but the sample names no "
                        + medium);
            }
            return Optional.empty();
        }
        if (runStarts.length != 1) {
            throw new SampleRejectedException("input_ids must hold exactly one run of " + padName + " ids for the "
                    + "sample's " + medium + ", not " + runStarts.length);
        }
        int start = runStarts[0];
        int end = start;
        while (end < inputIds.length && inputIds[end] == padId) {
            end++;
        }
        int expected = tokenCount.applyAsInt(media.get());
        if (end - start != expected) {
            throw new SampleRejectedException("input_ids has a run of " + (end - start) + " " + padName
                    + " ids but the " + medium + " gives " + expected + " tokens");
        }
        return Optional.of(new MediaRun<>(media.get(), start, expected));
    }

    private int audioTokens(AudioFeatures audio) {
        return AudioTokenCount.forFrames(audio.frames());
    }

    private int videoTokens(VideoPatches video) {
        return video.grid().tokens(videoMergeSize);
    }

    /** Text that spells out a media token would make the model expect media that the sample does not give. */
    private void requireNoMediaTokens(int[] ids) throws SampleRejectedException {
        for (int tokenId : ids) {
            if (tokenId == tokens.audioPad() || tokens.isVisual(tokenId)) {
                throw new SampleRejectedException("the text contains a media placeholder token (id " + tokenId
                        + "); media must be named in the sample's \"audio\" or \"video\" field");
            }
        }
    }
}
