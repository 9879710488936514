package io.reapomni.common.rewrite;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.job.PlanChoices;
import io.reapomni.common.plan.PlanBuilder;
import io.reapomni.common.plan.PlanValidator;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.ValidatedPlan;
import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Moving test models around (temp folders, S3 prefixes) and running a prune the way a user's job does. */
public final class TestModels {
    private TestModels() {
    }

    /** Copies the files of {@code from} (flat, as checkpoints are) into a new folder {@code to}, writable. */
    public static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(file.getFileName());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().setWritable(true);
            }
        }
        return to;
    }

    /** Uploads the files of a local folder to {@code target}. */
    public static void upload(Path folder, ObjectStore target) throws IOException {
        LocalObjectStore local = new LocalObjectStore(folder);
        for (ObjectInfo file : local.list()) {
            target.write(file.key(), List.of(new Segment.Range(local, file.key(), 0, file.size())), CopyListener.NONE);
        }
    }

    /** SHA-256 of every file under {@code folder}, hidden ones included, by relative path: a folder's fingerprint. */
    public static Map<String, String> fingerprint(Path folder) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted().toList()) {
                String key = folder.relativize(file).toString();
                hashes.put(key, Files.isDirectory(file) ? "folder" : RewriteVerifier.sha256(Files.readAllBytes(file)));
            }
        }
        return hashes;
    }

    /** SHA-256 of every object in {@code store}, by key. */
    public static Map<String, String> fingerprint(ObjectStore store) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        for (ObjectInfo object : store.list()) {
            hashes.put(object.key(), RewriteVerifier.sha256(store.readAll(object.key(), Integer.MAX_VALUE - 16)));
        }
        return hashes;
    }

    /** Entries beside a local output folder that are its staging folders ({@code .NAME.reap-staging-*}). */
    public static List<String> stagingLeftovers(Path output) throws IOException {
        Path parent = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        String prefix = "." + output.getFileName() + ".reap-staging-";
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.map(entry -> entry.getFileName().toString()).filter(name -> name.startsWith(prefix)).toList();
        }
    }

    /**
     * What a prune job does: open the checkpoint, build and check the plan, open the output, rewrite. Whatever fails
     * fails here, at the stage where it is found.
     */
    public static RewriteResult prune(ObjectStore source, Cut cut, StoreLocation output, Supplier<S3Settings> s3,
                                      String jobId) throws Exception {
        return rewrite(source, PlanBuilder.build(Checkpoint.open(source), cut.request()), output, s3, jobId);
    }

    /** Prunes the local model in {@code model} by {@code choices} into the folder {@code output}, as a job does. */
    public static RewriteResult prune(Path model, PlanChoices choices, Path output, String jobId) throws Exception {
        try (LocalObjectStore source = new LocalObjectStore(model)) {
            return rewrite(source, choices.plan(Checkpoint.open(source)), new StoreLocation.Local(output),
                    TestModels::noS3, jobId);
        }
    }

    /**
     * Rewrites with a given plan the way the CLI and the shard writer do: validates it against the checkpoint, opens
     * the output, rewrites.
     */
    public static RewriteResult rewrite(ObjectStore source, Checkpoint checkpoint, PruningPlan plan,
                                        StoreLocation output, Supplier<S3Settings> s3, String jobId) throws Exception {
        return rewrite(source, checkpoint, plan, output, s3, jobId, RewriteListener.NONE);
    }

    public static RewriteResult rewrite(ObjectStore source, Checkpoint checkpoint, PruningPlan plan,
                                        StoreLocation output, Supplier<S3Settings> s3, String jobId,
                                        RewriteListener listener) throws Exception {
        return rewrite(source, PlanValidator.validate(plan, checkpoint), output, s3, jobId, listener);
    }

    /** Rewrites with a plan validated already against the model in {@code source}. */
    public static RewriteResult rewrite(ObjectStore source, ValidatedPlan plan, StoreLocation output,
                                        Supplier<S3Settings> s3, String jobId) throws Exception {
        return rewrite(source, plan, output, s3, jobId, RewriteListener.NONE);
    }

    public static RewriteResult rewrite(ObjectStore source, ValidatedPlan plan, StoreLocation output,
                                         Supplier<S3Settings> s3, String jobId, RewriteListener listener)
            throws Exception {
        CheckpointRewriter rewriter = new CheckpointRewriter(source);
        try (OutputTarget target = OutputTarget.open(output, s3, rewriter.claim(jobId, plan))) {
            return rewriter.rewrite(plan, target, listener);
        }
    }

    /** For local-only tests: asking for S3 settings is a test bug. */
    public static S3Settings noS3() {
        throw new AssertionError("a local test asked for S3 settings");
    }
}
