package io.reapomni.calibration.data;

import io.reapomni.common.job.Modality;
import io.reapomni.common.job.SampleLines;
import io.reapomni.common.job.SampleRange;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Calibration JSONL and its media, read from a real S3 endpoint by ranges of samples, as calibration tasks do. */
class StoredCalibrationDataTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final byte[] CLIP = {'R', 'I', 'F', 'F', 1, 2, 3};
    private static final byte[] FRAME_1 = {1, 1};
    private static final byte[] FRAME_2 = {2, 2, 2};

    @TempDir
    Path local;
    @TempDir
    Path staging;

    private ObjectStore folder;

    @BeforeEach
    void uploadData() throws IOException {
        Files.write(local.resolve("audio.jsonl"), List.of(
                "{\"id\": \"clip\", \"text\": \"one\", \"audio\": \"clips/one.wav\"}",
                "",
                "this is not JSON",
                "{\"id\": \"outside\", \"text\": \"two\", \"audio\": \"../outside.wav\"}",
                "   ",
                "{\"id\": \"lost\", \"text\": \"three\", \"audio\": \"clips/lost.wav\"}",
                "{\"id\": \"plain\", \"text\": \"four\"}",
                "{\"id\": \"film\", \"text\": \"five\", \"modality\": \"video\", \"video\": \"frames\"}"));
        Files.write(local.resolve("video.jsonl"), List.of(
                "{\"id\": \"film\", \"text\": \"five\", \"video\": \"frames\"}"));
        Files.createDirectories(local.resolve("clips"));
        Files.write(local.resolve("clips/one.wav"), CLIP);
        Files.createDirectories(local.resolve("frames"));
        Files.write(local.resolve("frames/0001.jpg"), FRAME_1);
        Files.write(local.resolve("frames/0002.jpg"), FRAME_2);
        folder = ObjectStores.open(StoreLocation.parse("s3://" + S3.bucket() + "/calib"), S3::settings);
        TestModels.upload(local, folder);
    }

    @AfterEach
    void closeStore() throws IOException {
        folder.close();
    }

    @Test
    void nonBlankLinesAreTheSamplesAndCountingStopsAtTheLimit() throws IOException {
        assertThat(SampleLines.count(folder, "audio.jsonl", 100)).isEqualTo(6);
        assertThat(SampleLines.count(folder, "audio.jsonl", 4)).isEqualTo(4);
        assertThat(SampleLines.range(folder, "audio.jsonl", new SampleRange(1, 2)))
                .extracting(SampleLines.Line::sample, SampleLines.Line::lineNumber)
                .containsExactly(tuple(1, 3), tuple(2, 4));
        assertThat(SampleLines.range(folder, "audio.jsonl", new SampleRange(5, 10)))
                .extracting(SampleLines.Line::lineNumber).containsExactly(8);
    }

    @Test
    void rangesThatTileTheFileReportEveryLineOnceAsSampleOrProblem() throws IOException {
        List<Integer> reported = new ArrayList<>();
        for (SampleRange range : List.of(new SampleRange(0, 2), new SampleRange(2, 2), new SampleRange(4, 2))) {
            CalibrationLines lines = read(range);
            lines.samples().forEach(sample -> reported.add(sample.line()));
            lines.problems().forEach(problem -> reported.add(problem.line()));
        }

        assertThat(reported).containsExactlyInAnyOrder(1, 3, 4, 6, 7, 8);
    }

    @Test
    void mediaAreDownloadedUnderTheirNamesAndBadOrMissingOnesAreProblemsOfTheirLine() throws IOException {
        CalibrationLines lines = read(new SampleRange(0, 6));

        assertThat(lines.samples()).extracting(CalibrationSample::id).containsExactly("clip", "plain");
        Path clip = lines.samples().get(0).audio().orElseThrow();
        assertThat(clip).startsWith(staging).endsWith(Path.of("clips", "one.wav"));
        assertThat(Files.readAllBytes(clip)).isEqualTo(CLIP);
        assertThat(lines.problems()).extracting(SampleProblem::line).containsExactly(3, 4, 6, 8);
        assertThat(lines.problems().get(1).reason()).contains("inside the data file's folder", "..");
        assertThat(lines.problems().get(2).reason()).contains("missing media clips/lost.wav",
                "s3://" + S3.bucket() + "/calib");
        assertThat(lines.problems().get(3).reason()).contains("a video sample in the audio calibration data");
    }

    @Test
    void aVideoGivenAsAFolderOfFramesIsDownloadedWhole() throws IOException {
        List<SampleLines.Line> line = SampleLines.range(folder, "video.jsonl", new SampleRange(0, 1));

        CalibrationLines lines = CalibrationSampleReader.read(line, Modality.VIDEO, new StoredMedia(folder, staging, MediaLimits.DEFAULTS.maxMediaBytes()));

        Path frames = lines.samples().get(0).video().orElseThrow();
        try (Stream<Path> files = Files.list(frames)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder(
                    "0001.jpg", "0002.jpg");
        }
        assertThat(Files.readAllBytes(frames.resolve("0002.jpg"))).isEqualTo(FRAME_2);
    }

    @Test
    void mediaLargerThanTheLimitAreRefusedBeforeAnythingIsDownloaded() throws IOException {
        StoredMedia sixBytes = new StoredMedia(folder, staging, 6);

        CalibrationLines audio = CalibrationSampleReader.read(SampleLines.range(folder, "audio.jsonl",
                new SampleRange(0, 1)), Modality.AUDIO, sixBytes);
        CalibrationLines video = CalibrationSampleReader.read(SampleLines.range(folder, "video.jsonl",
                new SampleRange(0, 1)), Modality.VIDEO, sixBytes);
        CalibrationLines smallVideo = CalibrationSampleReader.read(SampleLines.range(folder, "video.jsonl",
                new SampleRange(0, 1)), Modality.VIDEO, new StoredMedia(folder, staging.resolve("other"), 4));

        assertThat(audio.problems()).singleElement().extracting(SampleProblem::reason).isEqualTo("media"
                + " clips/one.wav are 7 bytes, more than the 6 bytes one sample's media may have (README, Limits and"
                + " guarantees)");
        assertThat(video.samples()).hasSize(1);
        assertThat(smallVideo.problems()).singleElement().extracting(SampleProblem::reason).asString()
                .startsWith("media frames are 5 bytes, more than the 4 bytes");
        try (Stream<Path> downloaded = Files.walk(staging)) {
            assertThat(downloaded.filter(Files::isRegularFile).map(path -> staging.relativize(path).toString()))
                    .containsExactlyInAnyOrder("frames/0001.jpg", "frames/0002.jpg");
        }
    }

    private CalibrationLines read(SampleRange range) throws IOException {
        return CalibrationSampleReader.read(SampleLines.range(folder, "audio.jsonl", range), Modality.AUDIO,
                new StoredMedia(folder, staging, MediaLimits.DEFAULTS.maxMediaBytes()));
    }
}
