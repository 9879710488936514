package io.reapomni.devtools.calibrationdata;

import io.reapomni.common.job.Modality;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /** How long espeak-ng or ffmpeg may take on one clip unless the caller says otherwise. */
    public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofMinutes(2);

    /** Speech from espeak-ng and videos from ffmpeg where they are installed, generated stand-ins where not. */
    public static CalibrationDataGenerator withInstalledTools() {
        return withInstalledTools(DEFAULT_TOOL_TIMEOUT);
    }

    /** As {@link #withInstalledTools()}, each tool stopped after {@code toolTimeout} on one clip. */
    public static CalibrationDataGenerator withInstalledTools(Duration toolTimeout) {
        return new CalibrationDataGenerator(
                ExternalTool.ESPEAK_NG.installed() ? new EspeakSpeechWriter(toolTimeout) : new ToneClipWriter(),
                ExternalTool.FFMPEG.installed() ? new FfmpegVideoWriter(toolTimeout) : new FrameFolderWriter());
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
        List<String> skipped = new ArrayList<>();
        List<Optional<String>> speechClips = new ArrayList<>();
        double audioSeconds = 0;
        for (int i = 0; i < samples; i++) {
            String utterance = pick(PromptCatalogue.utterances(), choices);
            Path file = clips.resolve(String.format("speech-%03d.wav", i));
            Random variation = new Random(choices.nextLong());
            try {
                audioSeconds += speech.write(file, utterance, variation);
                speechClips.add(Optional.of(reference(output, file)));
            } catch (SampleGenerationException e) {
                skipped.add("speech clip " + i + ": " + e.getMessage());
                speechClips.add(Optional.empty());
            }
        }
        List<Optional<String>> videoClips = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            Random variation = new Random(choices.nextLong());
            try {
                videoClips.add(Optional.of(reference(output, video.write(clips, String.format("video-%03d", i),
                        variation))));
            } catch (SampleGenerationException e) {
                skipped.add("video clip " + i + ": " + e.getMessage());
                videoClips.add(Optional.empty());
            }
        }
        Map<Modality, Path> files = new EnumMap<>(Modality.class);
        Map<Modality, Integer> written = new EnumMap<>(Modality.class);
        for (Modality dataSet : Modality.values()) {
            List<CalibrationLine> lines = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                String id = String.format("%s-%03d", dataSet.id(), i);
                line(dataSet, i, id, choices, speechClips, videoClips).ifPresentOrElse(lines::add,
                        () -> skipped.add("sample " + id + " left out: a clip it needs was not made"));
            }
            files.put(dataSet, writeJsonl(output.resolve(fileName(dataSet)), lines));
            written.put(dataSet, lines.size());
        }
        return new GeneratedData(files, written, count(speechClips), audioSeconds, count(videoClips), speech.source(),
                video.source(), skipped);
    }

    /** A line of {@code dataSet}, or none when a clip it needs could not be made. */
    private static Optional<CalibrationLine> line(Modality dataSet, int index, String id, Random choices,
                                                  List<Optional<String>> speechClips,
                                                  List<Optional<String>> videoClips) {
        String question = pick(PromptCatalogue.questions(dataSet), choices);
        return switch (dataSet) {
            case AUDIO -> speechClips.get(index).map(speech -> new CalibrationLine(id, question, dataSet,
                    Optional.of(speech), Optional.empty()));
            case VIDEO -> videoClips.get(index).map(video -> new CalibrationLine(id, question, dataSet,
                    Optional.empty(), Optional.of(video)));
            // Shuffled pairings, so that a mixed sample is not simply the audio and video samples of one index.
            case MIXED -> {
                Optional<String> speech = pick(speechClips, choices);
                Optional<String> video = pick(videoClips, choices);
                yield speech.isPresent() && video.isPresent()
                        ? Optional.of(new CalibrationLine(id, question, dataSet, speech, video)) : Optional.empty();
            }
        };
    }

    private static int count(List<Optional<String>> clips) {
        return (int) clips.stream().filter(Optional::isPresent).count();
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
