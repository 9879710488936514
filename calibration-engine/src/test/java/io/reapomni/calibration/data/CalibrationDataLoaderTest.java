package io.reapomni.calibration.data;

import io.reapomni.calibration.TestVideos;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.audio.TestWavFiles;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.LocalObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reapomni.common.job.SampleLines;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class CalibrationDataLoaderTest {
    // The fixture's ids, from its README: the loader must find them in config.json and tokenizer.json.
    private static final int IM_END = 1014;
    private static final int IM_START = 1015;
    private static final int USER = 1016;
    private static final int AUDIO_END = 1021;
    private static final int AUDIO_START = 1022;
    private static final int AUDIO_PAD = 1023;
    private static final int VIDEO_PAD = 1019;

    @TempDir
    Path dir;

    private CalibrationDataLoader loader;
    private ModelTokenizer reference;

    @BeforeEach
    void openModel() throws Exception {
        loader = CalibrationDataLoader.forModel(TinyFixture.modelStore());
        reference = ModelTokenizer.load(TinyFixture.modelStore());
    }

    @AfterEach
    void close() {
        loader.close();
        reference.close();
    }

    @Test
    void seedTextLinesBecomeOneChatTurn() throws Exception {
        Path jsonl = write("{\"id\": \"t1\", \"text\": \"Describe the weather.\", \"modality\": \"audio\"}");

        CalibrationData data = loader.load(jsonl, Modality.AUDIO, 10);

        assertThat(data.skipped()).isEmpty();
        PreparedSample sample = data.samples().get(0);
        assertThat(sample.id()).isEqualTo("t1");
        assertThat(sample.modality()).isEqualTo(Modality.AUDIO);
        assertThat(sample.audio()).isEmpty();
        int[] ids = sample.inputIds();
        assertThat(Arrays.copyOfRange(ids, 0, 2)).containsExactly(IM_START, USER);
        assertThat(reference.decode(ids)).isEqualTo(
                "<|im_start|>user\nDescribe the weather.<|im_end|>\n<|im_start|>assistant\n");
        assertThat(data.tokenCount()).isEqualTo(ids.length);
    }

    @Test
    void audioLinesPutThePadsBetweenStartAndEndBeforeTheText() throws Exception {
        Files.createDirectories(dir.resolve("clips"));
        // 1.37 s at 44.1 kHz stereo: resampled to 21920 samples at 16 kHz, 137 frames, 18 tokens.
        TestWavFiles.write(dir.resolve("clips/a.wav"), TestWavFiles.sine(440, 0.3, 44_100, 60_417, 2), 44_100,
                TestWavFiles.Encoding.PCM_24, false);
        Path jsonl = write("{\"id\": \"a1\", \"text\": \"What is said?\", \"modality\": \"audio\", "
                + "\"audio\": \"clips/a.wav\"}");

        PreparedSample sample = loader.load(jsonl, Modality.AUDIO, 10).samples().get(0);

        assertThat(sample.modality()).isEqualTo(Modality.AUDIO);
        assertThat(sample.audio()).isPresent();
        assertThat(sample.audio().get().media().frames()).isEqualTo(137);
        assertThat(sample.audio().orElseThrow().count()).isEqualTo(18);
        int[] ids = sample.inputIds();
        int start = sample.audio().orElseThrow().start();
        assertThat(ids[start - 1]).isEqualTo(AUDIO_START);
        assertThat(Arrays.copyOfRange(ids, start, start + 18)).containsOnly(AUDIO_PAD);
        assertThat(ids[start + 18]).isEqualTo(AUDIO_END);
        assertThat(reference.decode(ids)).isEqualTo("<|im_start|>user\n<|audio_start|>" + "<|audio_pad|>".repeat(18)
                + "<|audio_end|>What is said?<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void mixedLinesPutTheVideoBlockThenTheAudioBlockBeforeTheText() throws Exception {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed").isTrue();
        TestVideos.testPattern(dir.resolve("clip.mp4"), 64, 64, 2);
        Files.copy(TinyFixture.audioWav(), dir.resolve("speech.wav"));
        Path jsonl = write("{\"id\": \"m1\", \"text\": \"What is shown?\", \"video\": \"clip.mp4\", "
                + "\"audio\": \"speech.wav\"}");

        CalibrationData data = loader.load(jsonl, Modality.MIXED, 10);

        assertThat(data.skipped()).isEmpty();
        PreparedSample sample = data.samples().get(0);
        assertThat(reference.decode(sample.inputIds())).isEqualTo("<|im_start|>user\n<|vision_start|>"
                + "<|video_pad|>".repeat(TinyFixture.CLIP_TOKENS) + "<|vision_end|><|audio_start|>"
                + "<|audio_pad|>".repeat(TinyFixture.SPEECH_TOKENS) + "<|audio_end|>What is shown?<|im_end|>\n"
                + "<|im_start|>assistant\n");
        MediaRun<?> video = sample.video().orElseThrow();
        MediaRun<?> audio = sample.audio().orElseThrow();
        assertThat(sample.inputIds()[video.start()]).isEqualTo(VIDEO_PAD);
        assertThat(video.count()).isEqualTo(TinyFixture.CLIP_TOKENS);
        assertThat(audio.start()).isEqualTo(video.end() + 2);
        assertThat(audio.count()).isEqualTo(TinyFixture.SPEECH_TOKENS);
    }

    @Test
    void videoLinesNeedTheirVideoAndMatchingPads() throws Exception {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed").isTrue();
        TestVideos.testPattern(dir.resolve("clip.mp4"), 64, 64, 2);
        Files.writeString(dir.resolve("noise.mp4"), "not a video");
        int[] ids = new int[TinyFixture.CLIP_TOKENS + 1];
        Arrays.fill(ids, VIDEO_PAD);
        ids[0] = 5;
        Path jsonl = write(
                "{\"id\": \"exact\", \"video\": \"clip.mp4\", \"input_ids\": " + Arrays.toString(ids) + "}",
                "{\"id\": \"short\", \"video\": \"clip.mp4\", \"input_ids\": [5, 1019, 1019]}",
                "{\"id\": \"none\", \"text\": \"no video here\"}",
                "{\"id\": \"gone\", \"text\": \"x\", \"video\": \"gone.mp4\"}",
                "{\"id\": \"noise\", \"text\": \"x\", \"video\": \"noise.mp4\"}",
                "{\"id\": \"heard\", \"text\": \"x\", \"video\": \"clip.mp4\", \"audio\": \"a.wav\"}");

        CalibrationData data = loader.load(jsonl, Modality.VIDEO, 10);

        assertThat(data.samples()).extracting(PreparedSample::id).containsExactly("exact");
        assertThat(data.samples().get(0).video().orElseThrow().start()).isEqualTo(1);
        List<String> report = data.skipped().stream().map(SampleProblem::toString).toList();
        assertThat(report).hasSize(5);
        assertThat(report.get(0)).contains("(id short)").contains("run of 2 <|video_pad|>")
                .contains(TinyFixture.CLIP_TOKENS + " tokens");
        assertThat(report.get(1)).contains("(id none)").contains("needs \"video\"");
        assertThat(report.get(2)).contains("(id gone)").contains("missing video file").contains("gone.mp4");
        assertThat(report.get(3)).contains("(id noise)").contains("noise.mp4");
        assertThat(report.get(4)).contains("(id heard)").contains("mixed data");
    }

    @Test
    void preTokenisedLinesAreUsedAsTheyAreWithTheirAudioRun() throws Exception {
        Path clip = TestWavFiles.write(dir.resolve("one-second.wav"), TestWavFiles.sine(300, 0.5, 16_000, 16_000, 1),
                16_000, TestWavFiles.Encoding.PCM_16, false);
        int[] ids = new int[3 + 13 + 2];
        ids[0] = 5;
        ids[1] = 6;
        ids[2] = AUDIO_START;
        Arrays.fill(ids, 3, 16, AUDIO_PAD);
        ids[16] = AUDIO_END;
        ids[17] = 7;
        Path jsonl = write("{\"id\": \"p1\", \"modality\": \"audio\", \"audio\": \"" + clip.getFileName()
                        + "\", \"input_ids\": " + Arrays.toString(ids) + "}",
                "{\"id\": \"p2\", \"modality\": \"audio\", \"audio\": \"one-second.wav\", \"input_ids\": "
                        + "[1, 1022, 1023, 1023, 1021]}",
                "{\"id\": \"p3\", \"modality\": \"audio\", \"input_ids\": [1, 2, 3]}",
                "{\"id\": \"p4\", \"modality\": \"audio\", \"input_ids\": [1, 1023, 3]}",
                "{\"id\": \"p5\", \"modality\": \"audio\", \"input_ids\": [1, 5000]}",
                "{\"id\": \"p6\", \"modality\": \"audio\", \"input_ids\": [1, 1019]}");

        CalibrationData data = loader.load(jsonl, Modality.AUDIO, 10);

        assertThat(data.samples()).extracting(PreparedSample::id).containsExactly("p1", "p3");
        PreparedSample withAudio = data.samples().get(0);
        assertThat(withAudio.inputIds()).containsExactly(ids);
        assertThat(withAudio.audio().orElseThrow().start()).isEqualTo(3);
        assertThat(withAudio.audio().orElseThrow().count()).isEqualTo(13);
        assertThat(data.skipped()).extracting(SampleProblem::id)
                .containsExactly(Optional.of("p2"), Optional.of("p4"), Optional.of("p5"), Optional.of("p6"));
        assertThat(data.skipped().get(0).reason()).contains("run of 2").contains("13 tokens");
        assertThat(data.skipped().get(1).reason()).contains("names no audio");
        assertThat(data.skipped().get(2).reason()).contains("5000").contains("vocabulary");
        assertThat(data.skipped().get(3).reason()).contains("<|video_pad|>").contains("names no video");
    }

    @Test
    void badLinesAreReportedByLineAndIdAndSkipped() throws Exception {
        Path bad = dir.resolve("bad.wav");
        Files.writeString(bad, "not audio at all");
        Path jsonl = write(
                "{\"id\": \"ok1\", \"text\": \"fine\", \"modality\": \"audio\"}",
                "{\"id\": \"broken\", \"text\": ",
                "{\"text\": \"no id\", \"modality\": \"audio\"}",
                "",
                "{\"id\": \"blank\", \"text\": \"   \", \"modality\": \"audio\"}",
                "{\"id\": \"missing\", \"text\": \"x\", \"modality\": \"audio\", \"audio\": \"gone.wav\"}",
                "{\"id\": \"unreadable\", \"text\": \"x\", \"modality\": \"audio\", \"audio\": \"bad.wav\"}",
                "{\"id\": \"weird\", \"text\": \"x\", \"modality\": \"smell\"}",
                "{\"id\": \"vid\", \"text\": \"seed video line\", \"modality\": \"video\"}",
                "{\"id\": \"mixvid\", \"text\": \"x\", \"modality\": \"audio\", \"video\": \"v.mp4\"}",
                "{\"id\": \"both\", \"text\": \"x\", \"input_ids\": [1], \"modality\": \"audio\"}",
                "{\"id\": \"spelled\", \"text\": \"a <|audio_pad|> b\", \"modality\": \"audio\"}",
                "[1, 2]",
                "{\"id\": \"elsewhere\", \"text\": \"x\", \"modality\": \"mixed\"}",
                "{\"id\": \"ok2\", \"text\": \"no modality: the file's\"}");

        CalibrationData data = loader.load(jsonl, Modality.AUDIO, 20);

        assertThat(data.samples()).extracting(PreparedSample::id).containsExactly("ok1", "ok2");
        List<String> report = data.skipped().stream().map(SampleProblem::toString).toList();
        assertThat(report).hasSize(12);
        assertThat(report.get(0)).startsWith("line 2: malformed JSON");
        assertThat(report.get(1)).isEqualTo("line 3: missing id: every sample needs a non-empty string \"id\"");
        assertThat(report.get(2)).isEqualTo("line 5 (id blank): empty text");
        assertThat(report.get(3)).startsWith("line 6 (id missing): missing audio file ")
                .endsWith(dir.resolve("gone.wav").toString());
        assertThat(report.get(4)).startsWith("line 7 (id unreadable): unreadable audio: ")
                .contains("bad.wav").contains("not a RIFF/WAVE file");
        assertThat(report.get(5)).startsWith("line 8 (id weird): unknown modality");
        assertThat(report.get(6)).isEqualTo("line 9 (id vid): a video sample in the audio calibration data: give it "
                + "in the video data instead");
        assertThat(report.get(7)).isEqualTo("line 10 (id mixvid): an audio sample names a video: give audio with "
                + "video in the mixed data");
        assertThat(report.get(8)).startsWith("line 11 (id both): both");
        assertThat(report.get(9)).startsWith("line 12 (id spelled): the text contains a media placeholder");
        assertThat(report.get(10)).isEqualTo("line 13: malformed JSON: a sample must be a JSON object");
        assertThat(report.get(11)).startsWith("line 14 (id elsewhere): a mixed sample in the audio calibration data");
    }

    @Test
    void theLimitCountsTheFirstSamplesUsableOrNotAndLinesAfterItAreNotReported() throws Exception {
        Path jsonl = write(
                "{\"id\": \"s1\", \"text\": \"one\", \"modality\": \"audio\"}",
                "{\"id\": \"s2\", \"text\": \"\", \"modality\": \"audio\"}",
                "{\"id\": \"s3\", \"text\": \"three\", \"modality\": \"audio\"}",
                "{\"id\": \"s4\", \"text\": \"\", \"modality\": \"audio\"}",
                "{\"id\": \"s5\", \"text\": \"five\", \"modality\": \"audio\"}");

        CalibrationData data = loader.load(jsonl, Modality.AUDIO, 2);

        assertThat(data.samples()).extracting(PreparedSample::id).containsExactly("s1");
        assertThat(data.skipped()).extracting(SampleProblem::line).containsExactly(2);
    }

    @Test
    void anUnreadableFileOrAModelWithoutTokenizerFailsTheLoad(@TempDir Path model) throws IOException {
        assertThatThrownBy(() -> loader.load(dir.resolve("absent.jsonl"), Modality.AUDIO, 1))
                .isInstanceOf(CalibrationDataException.class).hasMessageContaining("absent.jsonl");
        Files.copy(TinyQwen3Omni.model().resolve("config.json"), model.resolve("config.json"));
        assertThatThrownBy(() -> CalibrationDataLoader.forModel(new LocalObjectStore(model)))
                .isInstanceOf(CalibrationDataException.class)
                .hasMessageContaining(model.resolve("tokenizer.json").toString());
    }

    @Test
    void aLineTooLongOrNotUtf8IsSkippedAndReportedAndTheOthersAreUsed() throws Exception {
        byte[] notUtf8 = "{\"id\": \"latin1\", \"text\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        String tooLong = "{\"id\": \"long\", \"text\": \"" + "x".repeat(SampleLines.MAX_LINE_BYTES) + "\"}\n";
        Path jsonl = dir.resolve("calib.jsonl");
        Files.write(jsonl, ("{\"id\": \"first\", \"text\": \"one\"}\n").getBytes(StandardCharsets.UTF_8));
        Files.write(jsonl, notUtf8, StandardOpenOption.APPEND);
        Files.write(jsonl, tooLong.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        Files.write(jsonl, "{\"id\": \"last\", \"text\": \"four\"}\n".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        CalibrationData data = loader.load(jsonl, Modality.AUDIO, 10);

        assertThat(data.samples()).extracting(PreparedSample::id).containsExactly("first", "last");
        assertThat(data.skipped()).extracting(SampleProblem::toString).containsExactly(
                "line 2: the line is not valid UTF-8: byte 0xe9 at offset 29 cannot start or continue a character",
                "line 3: the line is 1,048,602 bytes long, more than the 1,048,576 bytes a calibration line may have"
                        + " (README, Limits and guarantees)");
    }

    @Test
    void mediaPastTheirLimitsAreSkippedAndReportedAndTheOthersAreUsed() throws Exception {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed").isTrue();
        TestWavFiles.write(dir.resolve("short.wav"), TestWavFiles.sine(440, 0.3, 16_000, 16_000, 1), 16_000,
                TestWavFiles.Encoding.PCM_16, false);
        TestWavFiles.write(dir.resolve("long.wav"), TestWavFiles.sine(440, 0.3, 16_000, 48_000, 1), 16_000,
                TestWavFiles.Encoding.PCM_16, false);
        TestVideos.testPattern(dir.resolve("clip.mp4"), 64, 64, 2);
        Path audio = write("{\"id\": \"short\", \"text\": \"x\", \"audio\": \"short.wav\"}",
                "{\"id\": \"long\", \"text\": \"x\", \"audio\": \"long.wav\"}");
        Path video = Files.write(dir.resolve("video.jsonl"), List.of(
                "{\"id\": \"clip\", \"text\": \"x\", \"video\": \"clip.mp4\"}",
                "{\"id\": \"text-only\", \"text\": \"x\", \"video\": \"clip.mp4\"}"));

        try (CalibrationDataLoader twoSeconds = CalibrationDataLoader.forModel(TinyFixture.modelStore(),
                new MediaLimits(Duration.ofSeconds(2), 64, Duration.ofMinutes(2), 1L << 30));
             CalibrationDataLoader noTime = CalibrationDataLoader.forModel(TinyFixture.modelStore(),
                     new MediaLimits(Duration.ofMinutes(5), 64, Duration.ofMillis(1), 1L << 30))) {
            CalibrationData audioData = twoSeconds.load(audio, Modality.AUDIO, 10);
            CalibrationData videoData = noTime.load(video, Modality.VIDEO, 10);

            assertThat(audioData.samples()).extracting(PreparedSample::id).containsExactly("short");
            assertThat(audioData.skipped()).singleElement().asString()
                    .contains("(id long)", "holds 3.0 s of audio, more than the 2 s a clip may have");
            assertThat(videoData.samples()).isEmpty();
            assertThat(videoData.skipped()).hasSize(2).allSatisfy(problem -> assertThat(problem.reason())
                    .contains("ffprobe did not finish probing", "within 0.001 s and was stopped"));
        }
    }

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("calib.jsonl"), List.of(lines));
    }
}
