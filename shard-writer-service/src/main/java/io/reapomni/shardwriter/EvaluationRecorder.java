package io.reapomni.shardwriter;

import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.events.EvaluationReported;
import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.rewrite.OutputExistsException;
import io.reapomni.common.rewrite.QualityRecord;
import io.reapomni.common.storage.LocalLocationRefusedException;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.StoreAccess;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.JobEventSink;
import io.reapomni.service.JobRejectedException;
import io.reapomni.service.PublishException;

import java.io.IOException;

/**
 * The end of a job that evaluated its model: adds the quality a calibration worker measured to the published output's
 * report ({@link QualityRecord}) and publishes {@code JobCompleted} with it. A result delivered again writes the same
 * report and completes the job again, which followers take as the same end.
 */
public final class EvaluationRecorder {
    private final StoreAccess stores;
    private final JobEventSink events;

    /** @param stores what results may name: S3 locations, and local folders under the service's local roots */
    public EvaluationRecorder(StoreAccess stores, JobEventSink events) {
        this.stores = stores;
        this.events = events;
    }

    public void record(EvaluationReported reported) throws JobRejectedException, IOException, PublishException {
        StoreLocation output;
        try {
            output = StoreLocation.parse(reported.outputPath());
        } catch (IllegalArgumentException e) {
            throw new JobRejectedException("the evaluated output location is not valid: " + e.getMessage(), e);
        }
        QualityRecord.Recorded recorded;
        try {
            stores.requireWritable(output);
        } catch (LocalLocationRefusedException e) {
            throw new JobRejectedException(e.getMessage(), e);
        }
        try (ObjectStore store = ObjectStores.open(output, stores.s3Settings())) {
            recorded = QualityRecord.add(store, reported.jobId(), reported.quality());
        } catch (OutputExistsException e) {
            throw new JobRejectedException("the evaluation cannot be added to the model at " + output + ": "
                    + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new JobRejectedException("the shard writer cannot reach " + output + " because S3 is not"
                    + " configured", e);
        }
        events.publish(JobCompleted.of(reported.jobId(), output.toString(), recorded.manifest().files().size() + 1,
                recorded.manifest().totalBytes(), recorded.report().parametersBefore(),
                recorded.report().parametersAfter(), recorded.report().transfer().seconds(),
                recorded.report().quality().flatMap(QualityReport::average)));
    }
}
