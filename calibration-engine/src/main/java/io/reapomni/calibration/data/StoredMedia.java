package io.reapomni.calibration.data;

import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectKeys;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Media of a calibration file in a store (S3 or a folder), downloaded into a local staging folder under the same
 * relative names, so that every worker reads the same data wherever it runs. A reference names an object (an audio
 * or video file) or a prefix (a video given as a folder of frames); it must stay inside the JSONL file's folder.
 * The staging folder belongs to the caller, who deletes it after the run. Media larger than {@code maxBytes} (a file,
 * or a folder of frames in all) are refused before anything is downloaded.
 */
public final class StoredMedia implements MediaResolver {
    private final ObjectStore folder;
    private final Path staging;
    private final long maxBytes;

    public StoredMedia(ObjectStore folder, Path staging, long maxBytes) {
        this.folder = folder;
        this.staging = staging;
        this.maxBytes = maxBytes;
    }

    @Override
    public Path resolve(String reference) throws SampleRejectedException, IOException {
        String key = key(reference);
        Path local = staging.resolve(key);
        if (Files.exists(local)) {
            return local;
        }
        if (folder.exists(key)) {
            requireAtMostMaxBytes(reference, folder.size(key));
            download(folder, key, local);
            return local;
        }
        List<ObjectInfo> frames;
        try (ObjectStore frameFolder = folder.child(key)) {
            frames = frameFolder.list();
            requireAtMostMaxBytes(reference, frames.stream().mapToLong(ObjectInfo::size).sum());
            for (ObjectInfo frame : frames) {
                download(frameFolder, frame.key(), local.resolve(frame.key()));
            }
        }
        if (frames.isEmpty()) {
            throw new SampleRejectedException("missing media " + reference + ": no object or folder " + key + " in "
                    + folder.location());
        }
        return local;
    }

    private void requireAtMostMaxBytes(String reference, long bytes) throws SampleRejectedException {
        if (bytes > maxBytes) {
            throw new SampleRejectedException(String.format(Locale.ROOT, "media %s are %,d bytes, more than the %,d"
                    + " bytes one sample's media may have (README, Limits and guarantees)", reference, bytes,
                    maxBytes));
        }
    }

    private static String key(String reference) throws SampleRejectedException {
        try {
            return ObjectKeys.validate(reference);
        } catch (IllegalArgumentException e) {
            throw new SampleRejectedException("media must be named by a path inside the data file's folder, without"
                    + " '..', a leading '/' or a backslash: " + e.getMessage(), e);
        }
    }

    private static void download(ObjectStore store, String key, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = store.read(key, 0, store.size(key))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
