package io.reapomni.cli.jobs;

import io.reapomni.cli.stack.FolderBuckets;
import io.reapomni.cli.stack.StackFolder;
import io.reapomni.common.job.CalibrationSettings;
import io.reapomni.common.job.Modality;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The local folders of one job shown to the services as buckets of the embedded S3 endpoint, for as long as the job
 * runs: {@link #close()} takes them away again (the folders stay).
 */
final class JobBuckets implements AutoCloseable {

    private final StackFolder stack;
    private final String jobId;
    private final Set<StoreLocation.S3> mapped = new LinkedHashSet<>();

    JobBuckets(StackFolder stack, String jobId) {
        this.stack = stack;
        this.jobId = jobId;
    }

    /** @param role what the folder is to the job ("model", "output"): it starts the bucket's name */
    StoreLocation.S3 folder(Path folder, String role) throws IOException {
        StoreLocation.S3 bucket = FolderBuckets.map(stack, jobId, folder, role);
        mapped.add(bucket);
        return bucket;
    }

    /**
     * The settings with each data file at {@code s3://bucket/file}, its folder mapped whole: the media that a sample
     * names are relative to the file's folder, and the calibration workers read them through the same bucket.
     */
    CalibrationSettings data(CalibrationSettings settings) throws IOException {
        Map<Modality, String> files = new EnumMap<>(Modality.class);
        for (Map.Entry<Modality, String> file : settings.dataFiles().entrySet()) {
            Path local = Path.of(file.getValue()).toAbsolutePath();
            StoreLocation.S3 bucket = folder(local.getParent(), "data");
            files.put(file.getKey(), new StoreLocation.S3(bucket.bucket(), local.getFileName().toString()).toString());
        }
        return settings.withDataFiles(files);
    }

    @Override
    public void close() throws IOException {
        for (StoreLocation.S3 bucket : mapped) {
            FolderBuckets.unmap(stack, bucket);
        }
    }
}
