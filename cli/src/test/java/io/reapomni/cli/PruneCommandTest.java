package io.reapomni.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.common.rewrite.RewriteVerifier;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.reapomni.common.rewrite.FixtureCuts.README_EXAMPLE;
import static org.assertj.core.api.Assertions.assertThat;

class PruneCommandTest {
    private static final Path FIXTURE = TinyQwen3Omni.model();
    private static final Object[] README_FLAGS = {"--strip-vision", "--keep-experts", "0,2,4,6", "--prune-layers", "2", "4"};

    @TempDir
    Path temp;

    @Test
    void writesTheSameModelAsTheRewriterDoes() throws Exception {
        Path byCli = temp.resolve("by-cli");
        Path direct = temp.resolve("direct");

        CliRun run = prune("-m", FIXTURE, "-o", byCli, "--job-id", "cli-test");
        TestModels.prune(new LocalObjectStore(FIXTURE), README_EXAMPLE, new StoreLocation.Local(direct),
                TestModels::noS3, "direct");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Wrote " + byCli);
        assertThat(CliRun.modelFiles(byCli)).isEqualTo(CliRun.modelFiles(direct)).containsKey("config.json");
        RewriteVerifier.verify(FIXTURE, new LocalObjectStore(byCli), README_EXAMPLE);
        assertThat(TestModels.stagingLeftovers(byCli)).isEmpty();
    }

    @Test
    void aDryRunPlansAndChecksButWritesNothing() {
        Path output = temp.resolve("pruned");

        CliRun run = prune("-m", FIXTURE, "-o", output, "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Dry run").contains("nothing was written").contains("drops layers 2,4");
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void aWrittenPlanExecutedLaterGivesTheSameModel() throws Exception {
        Path plan = temp.resolve("plan.json");
        Path fromFlags = temp.resolve("from-flags");
        Path fromPlan = temp.resolve("from-plan");

        CliRun written = prune("-m", FIXTURE, "--write-plan", plan);
        CliRun executed = CliRun.of("prune", "--in-process", "-m", FIXTURE, "-o", fromPlan, "--plan", plan);
        CliRun direct = prune("-m", FIXTURE, "-o", fromFlags);

        assertThat(written.exitCode()).as(written.toString()).isZero();
        assertThat(executed.exitCode()).as(executed.toString()).isZero();
        assertThat(direct.exitCode()).as(direct.toString()).isZero();
        JsonNode planJson = new ObjectMapper().readTree(plan.toFile());
        assertThat(planJson.get("strip").toString()).isEqualTo("[\"vision\"]");
        assertThat(planJson.at("/layers/thinker").toString()).isEqualTo("[0,1,3,5]");
        assertThat(CliRun.modelFiles(fromPlan)).isEqualTo(CliRun.modelFiles(fromFlags));
    }

    @Test
    void aPlanWithAKeyGivenTwiceIsBadInputNamingTheKey() throws Exception {
        Path plan = Files.writeString(temp.resolve("plan.json"), "{\"schemaVersion\": 1, \"strip\": [\"vision\"],"
                + " \"layers\": {\"thinker\": [0, 1, 2, 3, 4, 5]}, \"layers\": {\"thinker\": [0, 1]}}");

        CliRun run = CliRun.of("prune", "--in-process", "-m", FIXTURE, "-o", temp.resolve("out"), "--plan", plan);

        assertBadInputWithoutOutput(run, "Duplicate field 'layers' at /layers");
    }

    @Test
    void aConfigValueOfTheWrongTypeIsBadInputNamingItsPath() throws Exception {
        Path model = TestModels.copy(FIXTURE, temp.resolve("model"));
        String config = Files.readString(model.resolve("config.json"));
        // The thinker's: the one after its expert count (the talker has its own).
        Files.writeString(model.resolve("config.json"), config.replaceFirst(
                "(\"num_experts\": 8,\\s*)\"num_experts_per_tok\": 2", "$1\"num_experts_per_tok\": \"2\""));

        CliRun run = CliRun.of("inspect", model);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("/thinker_config/text_config/num_experts_per_tok must be an integer, not \"2\"");
    }

    @Test
    void anAbsurdExpertCountIsBadInputBeforeAnythingIsSizedByIt() throws Exception {
        Path model = TestModels.copy(FIXTURE, temp.resolve("model"));
        String config = Files.readString(model.resolve("config.json"));
        Files.writeString(model.resolve("config.json"), config.replaceFirst("\"num_experts\": 8",
                "\"num_experts\": 2000000000"));

        CliRun run = CliRun.of("prune", "--in-process", "-m", model, "-o", temp.resolve("out"), "--strip-vision");

        assertBadInputWithoutOutput(run, "/thinker_config/text_config/num_experts is 2000000000, outside 0..4096");
    }

    @Test
    void aRetentionRateAboveOneIsBadInput() {
        CliRun run = CliRun.of("prune", "-m", FIXTURE, "-o", temp.resolve("out"), "--retention-rate", "1.7");

        assertBadInputWithoutOutput(run, "retention", "1.7");
    }

    @Test
    void keepingFewerExpertsThanTopKIsBadInput() {
        CliRun run = CliRun.of("prune", "-m", FIXTURE, "-o", temp.resolve("out"), "--keep-experts", "0");

        assertBadInputWithoutOutput(run, "keeps 1 experts", "num_experts_per_tok (2)");
    }

    @Test
    void droppingALayerTheModelDoesNotHaveIsBadInput() {
        CliRun run = CliRun.of("prune", "-m", FIXTURE, "-o", temp.resolve("out"), "--prune-layers", "9");

        assertBadInputWithoutOutput(run, "layer 9", "0..5");
    }

    @Test
    void anOutputInsideTheModelIsBadInputAndTheModelIsLeftAlone() throws Exception {
        Path model = TestModels.copy(FIXTURE, temp.resolve("model"));
        var before = TestModels.fingerprint(model);

        CliRun run = CliRun.of("prune", "-m", model, "-o", model.resolve("pruned"), "--strip-vision");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("overlaps");
        assertThat(TestModels.fingerprint(model)).as("the model folder, hidden files included").isEqualTo(before);
    }

    @Test
    void anOutputReachedThroughASymbolicLinkIntoTheModelIsBadInputForEveryKindOfJob() throws Exception {
        Path model = TestModels.copy(FIXTURE, temp.resolve("model"));
        Path link = Files.createSymbolicLink(temp.resolve("elsewhere"), model);
        Path audio = Files.writeString(temp.resolve("a.jsonl"), "{\"id\": \"a\", \"text\": \"hi\", \"modality\": \"audio\"}\n");
        var before = TestModels.fingerprint(model);

        CliRun inProcess = CliRun.of("prune", "--in-process", "-m", model, "-o", link.resolve("pruned"),
                "--strip-vision");
        CliRun calibrated = CliRun.of("prune", "-m", model, "-o", link.resolve("pruned"), "--preset", "light",
                "--audio-data", audio);

        for (CliRun run : List.of(inProcess, calibrated)) {
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).contains("overlaps the model");
        }
        assertThat(calibrated.out()).as("refused before a stack was started").doesNotContain("Starting the embedded stack");
        assertThat(TestModels.fingerprint(model)).as("the model folder, hidden files included").isEqualTo(before);
    }

    @Test
    void aModelInTheHuggingFaceCacheLayoutIsReadThroughItsBlobLinks() throws Exception {
        Path snapshot = huggingFaceCacheCopy(FIXTURE, temp.resolve("hub"));
        Path fromCache = temp.resolve("from-cache");
        Path fromFolder = temp.resolve("from-folder");

        CliRun cached = prune("-m", snapshot, "-o", fromCache);
        CliRun plain = prune("-m", FIXTURE, "-o", fromFolder);

        assertThat(cached.exitCode()).as(cached.toString()).isZero();
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(CliRun.modelFiles(fromCache)).isEqualTo(CliRun.modelFiles(fromFolder));
        assertThat(Files.isSymbolicLink(snapshot.resolve("config.json"))).isTrue();
    }

    @Test
    void aLinkLeavingTheModelFolderIsStillRefused() throws Exception {
        Path snapshot = huggingFaceCacheCopy(FIXTURE, temp.resolve("hub"));
        Path outside = Files.writeString(temp.resolve("outside-tokenizer.json"), "{}");
        Files.createSymbolicLink(snapshot.resolve("tokenizer_extra.json"), outside);

        CliRun run = prune("-m", snapshot, "-o", temp.resolve("out"));

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.err()).contains("tokenizer_extra.json").contains("through a symbolic link");
        assertThat(temp.resolve("out")).doesNotExist();
    }

    /**
     * {@code model} as the Hugging Face hub client caches it under {@code hub}: each file once in
     * {@code models--ORG--NAME/blobs}, named by its SHA-256, and a snapshot folder of relative links to them.
     */
    private static Path huggingFaceCacheCopy(Path model, Path hub) throws Exception {
        Path repo = hub.resolve("models--Qwen--Tiny-Omni");
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve("5f1d0c2"));
        try (var files = Files.list(model)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String sha = RewriteVerifier.sha256(Files.readAllBytes(file));
                Files.copy(file, blobs.resolve(sha), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.createSymbolicLink(snapshot.resolve(file.getFileName()), Path.of("..", "..", "blobs", sha));
            }
        }
        return snapshot;
    }

    @Test
    void aMissingModelFolderIsBadInput() {
        Path missing = temp.resolve("no-such-model");

        CliRun run = CliRun.of("prune", "-m", missing, "-o", temp.resolve("out"), "--strip-vision");

        assertBadInputWithoutOutput(run, missing.toString());
    }

    @Test
    void aCalibratedRequestRefusesTheInProcessRewriteBeforeAnythingStarts() throws Exception {
        Path audio = Files.writeString(temp.resolve("x.jsonl"), "{\"id\": \"a\", \"text\": \"hi\", \"modality\": \"audio\"}\n");

        CliRun run = CliRun.of("prune", "--in-process", "-m", FIXTURE, "-o", temp.resolve("out"), "--preset", "light",
                "--audio-data", audio);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("calibrated pruning").contains("leave out --in-process");
        assertThat(temp.resolve("out")).doesNotExist();
    }

    @Test
    void aPresetWithListedExpertsIsRefusedAsScoredAndListedAtOnce() throws Exception {
        Path audio = Files.writeString(temp.resolve("y.jsonl"), "{\"id\": \"a\", \"text\": \"hi\", \"modality\": \"audio\"}\n");

        CliRun run = CliRun.of("prune", "-m", FIXTURE, "-o", temp.resolve("out2"), "--preset", "medium",
                "--keep-experts", "0,1", "--audio-data", audio);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("either scored (--retention-rate) or listed");
    }

    @Test
    void aJobIdThatCouldNameAPathIsRefusedAndTheFolderItNamesIsLeftAlone() throws Exception {
        Path victim = Files.createDirectories(temp.resolve("victim"));
        Files.writeString(victim.resolve("notes.txt"), "someone's files");
        var before = TestModels.fingerprint(victim);

        CliRun run = prune("-m", FIXTURE, "-o", temp.resolve("out"), "--job-id", "x/../victim");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).startsWith("Invalid value for option '--job-id': invalid job id \"x/../victim\"");
        assertThat(TestModels.fingerprint(victim)).isEqualTo(before);
        assertThat(temp.resolve("out")).doesNotExist();
    }

    @Test
    void aJobIdUsedAgainForAnotherPlanOnTheSameOutputIsRefusedAndTheModelIsLeftAlone() throws Exception {
        Path output = temp.resolve("pruned");
        CliRun first = prune("-m", FIXTURE, "-o", output, "--job-id", "reused");
        var written = TestModels.fingerprint(output);

        CliRun other = CliRun.of("prune", "--in-process", "-m", FIXTURE, "-o", output, "--job-id", "reused",
                "--strip-vision");
        CliRun same = prune("-m", FIXTURE, "-o", output, "--job-id", "reused");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(other.exitCode()).as(other.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(other.err()).contains("published by job reused for another model or plan");
        assertThat(same.exitCode()).as("the same request again: already done").isZero();
        assertThat(TestModels.fingerprint(output)).isEqualTo(written);
    }

    @Test
    void stagingFoldersThatNoJobCameBackForAreRemovedByTheNextPruneBesideThem() throws Exception {
        Path output = temp.resolve("pruned");
        Path stale = Files.createDirectories(temp.resolve(".pruned.reap-staging-gone-job"));
        Path recent = Files.createDirectories(temp.resolve(".pruned.reap-staging-recent-job"));
        Files.writeString(stale.resolve("model-00001-of-00007.safetensors"), "left behind");
        Files.setLastModifiedTime(stale.resolve("model-00001-of-00007.safetensors"),
                FileTime.from(Instant.now().minus(Duration.ofDays(8))));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(8))));

        CliRun run = prune("-m", FIXTURE, "-o", output);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("Removed staging folder " + stale).contains("did not come back for 7 days");
        assertThat(stale).doesNotExist();
        assertThat(recent).exists();
    }

    @Test
    void anOutputWhoseFilesystemCannotTakeTheModelIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path model = TestModels.copy(FIXTURE, temp.resolve("model"));
        // A file the rewrite copies, larger than the free space (sparse: it takes no space itself).
        try (RandomAccessFile huge = new RandomAccessFile(model.resolve("huge-extra.bin").toFile(), "rw")) {
            huge.setLength(Files.getFileStore(temp).getUsableSpace() + (1L << 30));
        }

        CliRun run = CliRun.of("prune", "--in-process", "-m", model, "-o", temp.resolve("out"), "--strip-vision");

        assertBadInputWithoutOutput(run, "not enough space", temp.toString(), "usable");
    }

    /** A rewrite in this JVM: the embedded stack's way is tested end to end (PipelineIT). */
    private CliRun prune(Object... args) {
        Object[] all = new Object[2 + args.length + README_FLAGS.length];
        all[0] = "prune";
        all[1] = "--in-process";
        System.arraycopy(args, 0, all, 2, args.length);
        System.arraycopy(README_FLAGS, 0, all, 2 + args.length, README_FLAGS.length);
        return CliRun.of(all);
    }

    private void assertBadInputWithoutOutput(CliRun run, String... messageParts) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).as(run.toString()).startsWith("reap-omni prune: ").contains(messageParts);
        assertThat(temp.resolve("out")).doesNotExist();
        assertThat(temp).isDirectoryNotContaining(path -> path.getFileName().toString().contains("reap-staging"));
    }
}
