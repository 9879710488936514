package io.reapomni.cli.stack;

import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Shows a user's local folder to the services as a bucket of the embedded S3 endpoint: the endpoint's filesystem
 * backend serves {@code s3://bucket/key} from {@code s3Data/bucket/key}, and follows a symbolic link there for reads,
 * listings and multipart writes. So a bucket is a link to the folder, and what the services write to it lands in the
 * folder. Each job gets its own buckets, so that one job's end never takes a folder away from another.
 */
public final class FolderBuckets {

    private static final int HASH_CHARACTERS = 20;

    private FolderBuckets() {
    }

    /**
     * Links {@code folder} (which must exist) into the endpoint as bucket {@code role-<hash of job and folder>}.
     *
     * @param role what the folder is to the job ("model", "output"): it starts the bucket's name, for the logs
     */
    public static StoreLocation.S3 map(StackFolder stack, String jobId, Path folder, String role) throws IOException {
        Path target = folder.toRealPath();
        if (!Files.isDirectory(target)) {
            throw new IOException(folder + " is not a folder");
        }
        String bucket = role + "-" + hash(jobId + "\0" + target);
        Path link = stack.s3Data().resolve(bucket);
        Files.createDirectories(stack.s3Data());
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return new StoreLocation.S3(bucket, "");
        }
        Files.createSymbolicLink(link, target);
        return new StoreLocation.S3(bucket, "");
    }

    /** Removes the bucket's link; the folder it pointed to is untouched. A real folder is never removed here. */
    public static void unmap(StackFolder stack, StoreLocation.S3 bucket) throws IOException {
        Path link = stack.s3Data().resolve(bucket.bucket());
        if (Files.isSymbolicLink(link)) {
            Files.delete(link);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARACTERS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
