package io.reapomni.calibration.sample;

import io.reapomni.common.job.Modality;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Generates calibration data for demos and tests: {@code audio.jsonl}, {@code video.jsonl} and {@code mixed.jsonl}
 * with their media under {@code clips/}, in the format of DESIGN.md (Calibration). Audio samples ask a question about
 * a speech clip, video samples about a short video, and mixed samples pair a video with a speech clip.
 *
 * <p>A seed fixes everything: the prompts, the pairings and the media. The choice of prompts and pairings draws on
 * its own random stream, apart from the media's, so that the JSONL lines do not depend on which tool made the clips.
 */
public final class CalibrationDataGenerator {
    public static final String CLIPS_FOLDER = "clips";

    private final SpeechClipWriter speech;
    private final VideoClipWriter video;

    public CalibrationDataGenerator(SpeechClipWriter speech, VideoClipWriter video) {
        this.speech = speech;
        this.video = video;
    }

    /** Speech from espeak-ng and videos from ffmpeg where they are installed, generated stand-ins where not. */
    public static CalibrationDataGenerator withInstalledTools() {
        return new CalibrationDataGenerator(
                ExternalTool.ESPEAK_NG.installed() ? new EspeakSpeechWriter() : new ToneClipWriter(),
                ExternalTool.FFMPEG.installed() ? new FfmpegVideoWriter() : new FrameFolderWriter());
    }

    /** The JSONL file name of a data set, as {@code prune} and {@code calibrate} examples name them. */
    public static String fileName(Modality dataSet) {
        return dataSet.id() + ".jsonl";
    }

    /**
     * Writes {@code samples} samples per data set into {@code output}, overwriting files of the same names.
     *
     * @throws IllegalArgumentException when {@code samples} is less than 1
     */
    public GeneratedData generate(Path output, int samples, long seed) throws SampleGenerationException {
        if (samples < 1) {
            throw new IllegalArgumentException("the number of samples must be at least 1, not " + samples);
        }
        Path clips = output.resolve(CLIPS_FOLDER);
        try {
            Files.createDirectories(clips);
        } catch (IOException e) {
            throw new SampleGenerationException("cannot create " + clips + ": " + e.getMessage(), e);
        }
        Random choices = new Random(seed);
        List<String> speechClips = new ArrayList<>();
        double audioSeconds = 0;
        for (int i = 0; i < samples; i++) {
            String utterance = pick(PromptCatalogue.utterances(), choices);
            Path file = clips.resolve(String.format("speech-%03d.wav", i));
            audioSeconds += speech.write(file, utterance, new Random(choices.nextLong()));
            speechClips.add(reference(output, file));
        }
        List<String> videoClips = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            Path written = video.write(clips, String.format("video-%03d", i), new Random(choices.nextLong()));
            videoClips.add(reference(output, written));
        }
        Map<Modality, Path> files = new EnumMap<>(Modality.class);
        for (Modality dataSet : Modality.values()) {
            List<CalibrationLine> lines = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                lines.add(line(dataSet, i, choices, speechClips, videoClips));
            }
            files.put(dataSet, writeJsonl(output.resolve(fileName(dataSet)), lines));
        }
        return new GeneratedData(files, samples, speechClips.size(), audioSeconds, videoClips.size(), speech.source(),
                video.source());
    }

    private static CalibrationLine line(Modality dataSet, int index, Random choices, List<String> speechClips,
                                        List<String> videoClips) {
        String id = String.format("%s-%03d", dataSet.id(), index);
        String question = pick(PromptCatalogue.questions(dataSet), choices);
        return switch (dataSet) {
            case AUDIO -> new CalibrationLine(id, question, dataSet, Optional.of(speechClips.get(index)),
                    Optional.empty());
            case VIDEO -> new CalibrationLine(id, question, dataSet, Optional.empty(),
                    Optional.of(videoClips.get(index)));
            // Shuffled pairings, so that a mixed sample is not simply the audio and video samples of one index.
            case MIXED -> new CalibrationLine(id, question, dataSet, Optional.of(pick(speechClips, choices)),
                    Optional.of(pick(videoClips, choices)));
        };
    }

    private static Path writeJsonl(Path file, List<CalibrationLine> lines) throws SampleGenerationException {
        try {
            return Files.write(file, lines.stream().map(CalibrationLine::toJson).toList());
        } catch (IOException e) {
            throw new SampleGenerationException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The media path as a JSONL line names it: relative to the file's folder, with forward slashes. */
    private static String reference(Path output, Path media) {
        List<String> names = new ArrayList<>();
        output.relativize(media).forEach(name -> names.add(name.toString()));
        return String.join("/", names);
    }

    private static <T> T pick(List<T> options, Random choices) {
        return options.get(choices.nextInt(options.size()));
    }
}
