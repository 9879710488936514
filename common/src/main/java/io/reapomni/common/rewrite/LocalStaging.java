package io.reapomni.common.rewrite;

import io.reapomni.common.job.JobIds;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * The hidden sibling folder {@code .NAME.reap-staging-JOB} of a local output folder NAME. Being a sibling keeps it on
 * the same filesystem, so publishing is one atomic rename; being named by job lets a restarted job find its work.
 */
record LocalStaging(Path target, Path folder) {
    static final String SUFFIX = ".reap-staging-";

    static LocalStaging of(Path target, String jobId) {
        JobIds.validate(jobId);
        Path parent = target.toAbsolutePath().normalize().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("output folder " + target + " has no parent folder to stage in");
        }
        return new LocalStaging(target, parent.resolve(prefix(target) + jobId));
    }

    /** The start of the names of {@code target}'s staging folders; the job id follows. */
    static String prefix(Path target) {
        return "." + target.toAbsolutePath().normalize().getFileName() + SUFFIX;
    }

    void publish() throws IOException {
        if (Files.isDirectory(target)) {
            try {
                Files.delete(target); // an empty folder the user made for the output
            } catch (DirectoryNotEmptyException e) {
                throw new IOException("output folder " + target + " was filled while the job ran; the finished model"
                        + " stays in " + folder, e);
            }
        }
        Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
    }

    void discard() throws IOException {
        deleteTree(folder);
    }

    /** Deletes {@code folder} and everything in it; a folder that is not there is not an error. */
    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static boolean isEmptyOrMissing(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return true;
        }
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }
}
