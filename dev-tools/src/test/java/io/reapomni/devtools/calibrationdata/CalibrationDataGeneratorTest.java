package io.reapomni.devtools.calibrationdata;

import io.reapomni.calibration.TestVideos;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.audio.WavDecoder;
import io.reapomni.calibration.data.CalibrationData;
import io.reapomni.calibration.data.CalibrationDataLoader;
import io.reapomni.calibration.data.PreparedSample;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

class CalibrationDataGeneratorTest {
    private static final CalibrationDataGenerator WITHOUT_TOOLS =
            new CalibrationDataGenerator(new ToneClipWriter(), new FrameFolderWriter());

    @TempDir
    Path dir;

    private CalibrationDataLoader loader;

    @BeforeEach
    void openModel() throws Exception {
        loader = CalibrationDataLoader.forModel(TinyFixture.modelStore());
    }

    @AfterEach
    void close() {
        loader.close();
    }

    @Test
    void toneClipsLoadAsAudioSamplesWithNoneSkipped() throws Exception {
        GeneratedData data = WITHOUT_TOOLS.generate(dir, 3, 11);

        CalibrationData audio = loadAll(data, Modality.AUDIO);

        assertThat(audio.skipped()).isEmpty();
        assertThat(audio.samples()).extracting(PreparedSample::id)
                .containsExactly("audio-000", "audio-001", "audio-002");
        assertThat(audio.samples()).allSatisfy(sample -> assertThat(sample.audio()).isPresent());
        double decodedSeconds = 0;
        for (int i = 0; i < 3; i++) {
            decodedSeconds += WavDecoder.decode(dir.resolve(String.format("clips/speech-%03d.wav", i)))
                    .durationSeconds();
        }
        assertThat(data.audioSeconds()).isCloseTo(decodedSeconds, within(1e-9));
        assertThat(data.speech()).isEqualTo(ClipSource.GENERATED_TONES);
    }

    @Test
    void clipsWhoseToolRunsPastItsTimeoutAreLeftOutAndReportedAndTheRestIsWritten() throws Exception {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed").isTrue();
        // No ffmpeg encodes a clip within a millisecond: every video is stopped.
        CalibrationDataGenerator slowVideos = new CalibrationDataGenerator(new ToneClipWriter(),
                new FfmpegVideoWriter(Duration.ofMillis(1)));

        GeneratedData data = slowVideos.generate(dir, 2, 3);

        assertThat(data.samples()).containsExactlyInAnyOrderEntriesOf(Map.of(Modality.AUDIO, 2, Modality.VIDEO, 0,
                Modality.MIXED, 0));
        assertThat(data.videoClips()).isZero();
        assertThat(data.skipped()).hasSize(6);
        assertThat(data.skipped().subList(0, 2)).allSatisfy(skipped -> assertThat(skipped)
                .matches("video clip \\d: ffmpeg did not finish on .* within 0.001 s and was stopped"));
        assertThat(data.skipped().subList(2, 6)).containsExactly(
                "sample video-000 left out: a clip it needs was not made",
                "sample video-001 left out: a clip it needs was not made",
                "sample mixed-000 left out: a clip it needs was not made",
                "sample mixed-001 left out: a clip it needs was not made");
        assertThat(Files.readAllLines(data.file(Modality.VIDEO))).isEmpty();
        assertThat(loadAll(data, Modality.AUDIO).samples()).hasSize(2);
    }

    @Test
    void everyDataSetOfTheInstalledToolsLoadsWithNoneSkipped() throws Exception {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed").isTrue();

        GeneratedData data = CalibrationDataGenerator.withInstalledTools().generate(dir, 2, 5);

        assertThat(data.video()).isEqualTo(ClipSource.FFMPEG);
        assertThat(data.speech()).isEqualTo(ExternalTool.ESPEAK_NG.installed()
                ? ClipSource.ESPEAK_NG : ClipSource.GENERATED_TONES);
        assertEverySampleUsable(data);
    }

    @Test
    void frameFoldersLoadAsVideosWithNoneSkipped() throws Exception {
        assumeThat(TestVideos.ffmpegInstalled()).as("ffmpeg is installed to read frames").isTrue();

        GeneratedData data = WITHOUT_TOOLS.generate(dir, 2, 5);

        assertThat(Files.isDirectory(dir.resolve("clips/video-000"))).isTrue();
        assertEverySampleUsable(data);
    }

    @Test
    void theSameSeedWritesTheSameDataAndAnotherSeedOtherData() throws Exception {
        GeneratedData first = WITHOUT_TOOLS.generate(dir.resolve("first"), 4, 42);
        GeneratedData again = WITHOUT_TOOLS.generate(dir.resolve("again"), 4, 42);
        GeneratedData other = WITHOUT_TOOLS.generate(dir.resolve("other"), 4, 43);

        for (Modality dataSet : Modality.values()) {
            assertThat(Files.readAllLines(again.file(dataSet))).isEqualTo(Files.readAllLines(first.file(dataSet)));
            assertThat(Files.readAllLines(other.file(dataSet))).isNotEqualTo(Files.readAllLines(first.file(dataSet)));
        }
        assertThat(Files.readAllBytes(dir.resolve("again/clips/speech-002.wav")))
                .isEqualTo(Files.readAllBytes(dir.resolve("first/clips/speech-002.wav")));
        assertThat(Files.readAllBytes(dir.resolve("again/clips/video-001/frame-01.png")))
                .isEqualTo(Files.readAllBytes(dir.resolve("first/clips/video-001/frame-01.png")));
    }

    @Test
    void linesFollowTheCalibrationFormat() throws Exception {
        GeneratedData data = WITHOUT_TOOLS.generate(dir, 1, 0);

        assertThat(Files.readAllLines(data.file(Modality.AUDIO))).singleElement().asString()
                .matches("\\{\"id\":\"audio-000\",\"text\":\"[^\"]+\",\"modality\":\"audio\","
                        + "\"audio\":\"clips/speech-000.wav\"}");
        assertThat(Files.readAllLines(data.file(Modality.MIXED))).singleElement().asString()
                .matches("\\{\"id\":\"mixed-000\",\"text\":\"[^\"]+\",\"modality\":\"mixed\","
                        + "\"audio\":\"clips/speech-000.wav\",\"video\":\"clips/video-000\"}");
    }

    @Test
    void standInsForMissingToolsSaySo() throws Exception {
        GeneratedData data = WITHOUT_TOOLS.generate(dir, 1, 0);

        assertThat(data.fallbackNotices()).hasSize(2);
        assertThat(data.fallbackNotices().get(0)).contains("espeak-ng was not found").contains("tones");
        assertThat(data.fallbackNotices().get(1)).contains("ffmpeg was not found").contains("PNG frames");
    }

    @Test
    void refusesFewerThanOneSample() {
        assertThatThrownBy(() -> WITHOUT_TOOLS.generate(dir, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    private void assertEverySampleUsable(GeneratedData data) throws Exception {
        for (Modality dataSet : Modality.values()) {
            CalibrationData loaded = loadAll(data, dataSet);
            assertThat(loaded.skipped()).as(dataSet.id()).isEmpty();
            assertThat(loaded.samples()).as(dataSet.id()).hasSize(data.samples(dataSet));
        }
        List<PreparedSample> mixed = loadAll(data, Modality.MIXED).samples();
        assertThat(mixed).allSatisfy(sample -> {
            assertThat(sample.audio()).isPresent();
            assertThat(sample.video()).isPresent();
        });
    }

    private CalibrationData loadAll(GeneratedData data, Modality dataSet) throws Exception {
        return loader.load(data.file(dataSet), dataSet, Integer.MAX_VALUE);
    }
}
