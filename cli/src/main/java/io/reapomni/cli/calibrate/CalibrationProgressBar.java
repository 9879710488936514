package io.reapomni.cli.calibrate;

import io.reapomni.calibration.CalibrationListener;
import io.reapomni.calibration.data.CalibrationData;
import io.reapomni.common.job.Modality;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * One bar on stderr through a calibration run's phases: preparing each data set, the audio tower (samples encoded),
 * then the decoder (layers done, with the tokens per second of the last layer).
 */
final class CalibrationProgressBar implements CalibrationListener, AutoCloseable {
    private final ProgressBar bar;
    private long lastEventNanos = System.nanoTime();

    CalibrationProgressBar(PrintStream err) {
        this.bar = new ProgressBarBuilder().setTaskName("calibrate").setInitialMax(-1).hideEta()
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err)).build();
    }

    @Override
    public void preparing(Modality dataSet) {
        bar.setExtraMessage("preparing " + dataSet.id() + " samples");
    }

    @Override
    public void prepared(Modality dataSet, CalibrationData data) {
        bar.setExtraMessage(dataSet.id() + ": " + data.samples().size() + " samples, " + data.skipped().size()
                + " skipped");
        lastEventNanos = System.nanoTime();
    }

    @Override
    public void audioEncoded(int done, int total) {
        bar.maxHint(total);
        bar.stepTo(done);
        bar.setExtraMessage("audio tower");
        lastEventNanos = System.nanoTime();
    }

    @Override
    public void layerDone(int layersDone, int totalLayers, long tokensPerLayer) {
        long now = System.nanoTime();
        double tokensPerSecond = tokensPerLayer / ((now - lastEventNanos) / 1e9);
        lastEventNanos = now;
        bar.maxHint(totalLayers);
        bar.stepTo(layersDone);
        bar.setExtraMessage(String.format("layer %d/%d, %.0f tokens/s", layersDone, totalLayers, tokensPerSecond));
    }

    @Override
    public void close() {
        bar.close();
    }
}
