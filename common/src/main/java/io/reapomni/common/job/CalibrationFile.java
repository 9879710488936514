package io.reapomni.common.job;

import io.reapomni.common.storage.ObjectKeys;
import io.reapomni.common.storage.StoreLocation;

import java.nio.file.Path;

/**
 * A calibration JSONL file as a request names it, {@code s3://bucket/prefix/audio.jsonl} or a local path: the folder
 * that holds it (opened as a store, so that the file and the media it names are read the same way from S3 and from
 * disk) and its name in that folder. Media named by its lines are keys relative to that folder.
 */
public record CalibrationFile(StoreLocation folder, String name) {

    public CalibrationFile {
        if (name.contains("/")) {
            throw new IllegalArgumentException("a calibration file's name is one key segment, not " + name);
        }
        ObjectKeys.validate(name);
    }

    /** @throws IllegalArgumentException when {@code text} is no location, or names a bucket or a root, not a file */
    public static CalibrationFile parse(String text) {
        StoreLocation location = StoreLocation.parse(text);
        if (location instanceof StoreLocation.S3 s3) {
            if (s3.prefix().isEmpty()) {
                throw new IllegalArgumentException("the calibration data \"" + text + "\" names a bucket, not a file:"
                        + " give s3://bucket/prefix/data.jsonl");
            }
            int slash = s3.prefix().lastIndexOf('/');
            String folder = slash < 0 ? "" : s3.prefix().substring(0, slash);
            return new CalibrationFile(new StoreLocation.S3(s3.bucket(), folder), s3.prefix().substring(slash + 1));
        }
        Path file = ((StoreLocation.Local) location).folder();
        if (file.getParent() == null || file.getFileName() == null) {
            throw new IllegalArgumentException("the calibration data \"" + text + "\" names no file");
        }
        return new CalibrationFile(new StoreLocation.Local(file.getParent()), file.getFileName().toString());
    }

    @Override
    public String toString() {
        return folder instanceof StoreLocation.Local local ? local.folder().resolve(name).toString()
                : folder + "/" + name;
    }
}
