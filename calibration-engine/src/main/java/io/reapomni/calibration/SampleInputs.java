package io.reapomni.calibration;

import io.reapomni.calibration.data.CalibrationDataException;
import io.reapomni.calibration.data.CalibrationLines;
import io.reapomni.calibration.data.CalibrationSampleReader;
import io.reapomni.calibration.data.MediaRun;
import io.reapomni.calibration.data.PreparedSample;
import io.reapomni.calibration.data.SampleProblem;
import io.reapomni.calibration.data.StoredMedia;
import io.reapomni.calibration.model.ThinkerInput;
import io.reapomni.common.calibration.SkippedSample;
import io.reapomni.common.job.SampleLines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * From the lines of a data file to the engine's inputs, shared by calibration and evaluation: a share of a file read
 * from its store (the media its lines name downloaded into a staging folder), prepared samples as thinker input, and
 * every line that could not be used as a skipped sample a person can find.
 */
public final class SampleInputs {
    private SampleInputs() {
    }

    /**
     * @param maxMediaBytes the most bytes of media one sample may name ({@code MediaLimits})
     * @throws CalibrationDataException when the file cannot be read
     * @throws IOException              when the media's store cannot be read
     */
    public static CalibrationLines read(CalibrationSlice slice, Path staging, long maxMediaBytes)
            throws CalibrationDataException, IOException {
        List<SampleLines.Line> lines;
        try {
            lines = SampleLines.range(slice.folder(), slice.file(), slice.range());
        } catch (IOException e) {
            throw new CalibrationDataException("cannot read the calibration file " + slice.file() + " in "
                    + slice.folder().location() + ": " + e.getMessage(), e);
        }
        return CalibrationSampleReader.read(lines, slice.dataSet(), new StoredMedia(slice.folder(), staging,
                maxMediaBytes));
    }

    public static ThinkerInput toThinkerInput(PreparedSample sample) {
        return new ThinkerInput(sample.id(), sample.modality(), sample.inputIds(), sample.audio().map(MediaRun::media),
                sample.video().map(MediaRun::media));
    }

    /** Lines without an id are named by their place in the file, so that every skipped line can be found. */
    public static List<SkippedSample> skipped(String file, List<SampleProblem> problems) {
        return problems.stream()
                .map(problem -> new SkippedSample(
                        problem.id().orElse(file + ":" + problem.line()),
                        file + " line " + problem.line() + ": " + problem.reason()))
                .toList();
    }
}
