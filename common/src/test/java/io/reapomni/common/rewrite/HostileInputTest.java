package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointIndex;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.TestCheckpoints;
import io.reapomni.common.plan.PlanBuilder;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.plan.ValidatedPlan;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

import static io.reapomni.common.rewrite.FixtureCuts.README_EXAMPLE;
import static io.reapomni.common.rewrite.FixtureCuts.STRIP_VISION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Damaged checkpoints, impossible plans, bad output locations and failures halfway through: each is refused or
 * fails with a message that names the problem, and leaves no output where a model is expected (no output folder, no
 * model under an S3 prefix) and the source as it was. A refusal leaves nothing at all; a storage failure halfway keeps
 * the files finished so far in the job's staging area, for its next run.
 */
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARD = "model-00003-of-00007.safetensors";
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final String MODEL_PREFIX = "models/tiny";
    /** The fixture in S3, shared by the S3 tests, which only read it. */
    private static S3ObjectStore modelInS3;

    @TempDir
    Path temp;
    private Path model;
    private Path output;

    @BeforeAll
    static void uploadFixture() throws IOException {
        modelInS3 = S3ObjectStore.open(S3.settings(), new StoreLocation.S3(S3.bucket(), MODEL_PREFIX));
        TestModels.upload(TinyQwen3Omni.model(), modelInS3);
    }

    @AfterAll
    static void closeStore() throws IOException {
        modelInS3.close();
    }

    @BeforeEach
    void copyFixture() throws IOException {
        model = TestModels.copy(TinyQwen3Omni.model(), temp.resolve("model"));
        output = temp.resolve("pruned");
    }

    // --- damaged shards -------------------------------------------------------------------------------------------

    @Test
    void aTruncatedShardIsNamed() throws Exception {
        Path shard = model.resolve(SHARD);
        try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 100);
        }
        assertRefusedWithoutOutput(() -> pruneLocally(STRIP_VISION), SHARD, "truncated");
    }

    @Test
    void aHeaderThatIsNotJsonIsNamed() throws Exception {
        overwrite(model.resolve(SHARD), 8, "#".getBytes(StandardCharsets.US_ASCII));
        assertRefusedWithoutOutput(() -> pruneLocally(STRIP_VISION), SHARD, "not valid JSON");
    }

    @Test
    void aHeaderLengthLargerThanTheFileIsNamed() throws Exception {
        Path shard = model.resolve(SHARD);
        overwrite(shard, 0, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Files.size(shard) + 1000).array());
        assertRefusedWithoutOutput(() -> pruneLocally(STRIP_VISION), SHARD, "header length", "larger than the file");
    }

    @Test
    void overlappingTensorsAreNamed() throws Exception {
        List<String> names = new ArrayList<>();
        editHeader(model.resolve(SHARD), header -> {
            List<String> inDataOrder = tensorsInDataOrder(header);
            String second = inDataOrder.get(1);
            names.add(second);
            ArrayNode offsets = (ArrayNode) header.get(second).get("data_offsets");
            // Two bytes earlier: the same length, now sharing its first bytes with the tensor before it.
            offsets.set(0, offsets.get(0).asLong() - 2);
            offsets.set(1, offsets.get(1).asLong() - 2);
        });
        assertRefusedWithoutOutput(() -> pruneLocally(STRIP_VISION), SHARD, "overlaps", names.get(0));
    }

    @Test
    void offsetsPastTheEndOfTheFileAreRefused() throws Exception {
        editHeader(model.resolve(SHARD), header -> {
            List<String> inDataOrder = tensorsInDataOrder(header);
            JsonNode last = header.get(inDataOrder.get(inDataOrder.size() - 1));
            ArrayNode offsets = (ArrayNode) last.get("data_offsets");
            ArrayNode shape = (ArrayNode) last.get("shape");
            long rowBytes = (offsets.get(1).asLong() - offsets.get(0).asLong()) / shape.get(0).asLong();
            // One row longer, consistently in shape and offsets: its end now lies past the end of the file.
            shape.set(0, shape.get(0).asLong() + 1);
            offsets.set(1, offsets.get(1).asLong() + rowBytes);
        });
        assertRefusedWithoutOutput(() -> pruneLocally(STRIP_VISION), SHARD, "truncated", "need");
    }

    @Test
    void anUnknownDtypeIsNamed() throws Exception {
        editHeader(model.resolve(SHARD), header -> ((ObjectNode) header.get(tensorsInDataOrder(header).get(0)))
                .put("dtype", "BF17"));
        assertRefusedWithoutOutput(() -> pruneLocally(STRIP_VISION), SHARD, "unknown dtype", "BF17");
    }

    @Test
    void aShapeThatDisagreesWithTheByteLengthIsNamed() throws Exception {
        List<String> names = new ArrayList<>();
        editHeader(model.resolve(SHARD), header -> {
            String first = tensorsInDataOrder(header).get(0);
            names.add(first);
            ArrayNode shape = (ArrayNode) header.get(first).get("shape");
            shape.set(0, shape.get(0).asLong() + 1);
        });
        assertRefusedWithoutOutput(() -> pruneLocally(STRIP_VISION), SHARD, names.get(0), "shape", "needs");
    }

    // --- impossible plans -----------------------------------------------------------------------------------------

    @Test
    void droppingALayerTheModelDoesNotHaveIsRefused() throws Exception {
        assertRefusedWithoutOutput(() -> pruneLocally(FixtureCuts.dropLayers(9)), "layer 9", "0..5");
    }

    @Test
    void aPlanKeepingALayerTheModelDoesNotHaveIsRefused() throws Exception {
        PruningPlan plan = PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 1, 2, 3, 4, 5, 6)));
        assertRefusedWithoutOutput(() -> rewriteLocally(plan), "layer 6");
    }

    @Test
    void aPlanKeepingAnExpertTheModelDoesNotHaveIsRefused() throws Exception {
        SortedMap<Integer, List<Integer>> experts = new TreeMap<>();
        for (int layer = 0; layer < 6; layer++) {
            experts.put(layer, List.of(0, 8));
        }
        PruningPlan plan = PruningPlan.empty().withExperts(Map.of(MoeStack.THINKER, experts));
        assertRefusedWithoutOutput(() -> rewriteLocally(plan), "expert 8", "0..7");
    }

    @Test
    void keepingFewerExpertsThanEachTokenIsRoutedToIsRefused() throws Exception {
        assertRefusedWithoutOutput(() -> pruneLocally(FixtureCuts.keepExperts(3)), "num_experts_per_tok");
        SortedMap<Integer, List<Integer>> experts = new TreeMap<>();
        for (int layer = 0; layer < 6; layer++) {
            experts.put(layer, List.of(3));
        }
        PruningPlan plan = PruningPlan.empty().withExperts(Map.of(MoeStack.THINKER, experts));
        assertRefusedWithoutOutput(() -> rewriteLocally(plan), "num_experts_per_tok");
    }

    // --- bad output locations -------------------------------------------------------------------------------------

    @Test
    void anOutputInsideTheInputIsRefusedAndTheInputIsLeftAlone() throws Exception {
        output = model.resolve("pruned");
        assertRefusedWithoutOutput(() -> pruneLocally(STRIP_VISION), "overlaps", model.toString());
    }

    @Test
    void anOutputFolderThatHoldsFilesIsRefusedAndLeftUntouched() throws Exception {
        Files.createDirectories(output);
        Files.writeString(output.resolve("notes.txt"), "my earlier model");
        Map<String, String> before = TestModels.fingerprint(output);

        assertThatThrownBy(() -> pruneLocally(STRIP_VISION)).isInstanceOf(OutputExistsException.class)
                .hasMessageContaining(output.toString()).hasMessageContaining("already holds files");

        assertThat(TestModels.fingerprint(output)).isEqualTo(before);
        assertThat(TestModels.stagingLeftovers(output)).isEmpty();
    }

    // --- failures halfway through ---------------------------------------------------------------------------------

    @Test
    void aReadFailingHalfwayPublishesNothingKeepsTheFinishedFilesAndLeavesTheSourceUnchanged() throws Exception {
        Map<String, String> before = TestModels.fingerprint(model);
        Checkpoint checkpoint = Checkpoint.open(new LocalObjectStore(model));
        PruningPlan plan = PlanBuilder.build(checkpoint, README_EXAMPLE.request()).plan();
        FailingStore failing = FailingStore.failingHalfway(new LocalObjectStore(model), checkpoint, plan,
                temp.resolve("scratch"));
        List<String> written = new ArrayList<>();

        assertThatThrownBy(() -> TestModels.rewrite(failing, checkpoint, plan, new StoreLocation.Local(output),
                TestModels::noS3, "job", filesWritten(written))).isInstanceOf(ResumableRewriteException.class)
                .hasMessageContaining(FailingStore.FAILURE).hasMessageContaining("kept in");

        assertThat(written).as("files written before the failure").isNotEmpty();
        assertThat(output).as("the output folder").doesNotExist();
        Path staging = output.resolveSibling(TestModels.stagingLeftovers(output).get(0));
        assertThat(TestModels.stagingLeftovers(output)).as("the job's staging folder").hasSize(1);
        assertThat(staging.resolve(written.get(0))).as("a file finished before the failure").exists();
        assertThat(TestModels.fingerprint(model)).isEqualTo(before);
    }

    @Test
    void aShardDeletedAfterTheCheckpointWasOpenedLeavesNoOutput() throws Exception {
        Checkpoint checkpoint = Checkpoint.open(new LocalObjectStore(model));
        PruningPlan plan = PlanBuilder.build(checkpoint, README_EXAMPLE.request()).plan();
        Files.delete(model.resolve("model-00005-of-00007.safetensors"));

        assertThatThrownBy(() -> TestModels.rewrite(new LocalObjectStore(model), checkpoint, plan,
                new StoreLocation.Local(output), TestModels::noS3, "job"))
                .hasMessageContaining("model-00005-of-00007.safetensors");

        assertNoLocalOutput();
    }

    @Test
    void aPlanCheckedAgainstAnotherModelIsRefusedBeforeAnythingIsWritten() throws Exception {
        ValidatedPlan checkedElsewhere = PlanBuilder.build(TestCheckpoints.fixture(), README_EXAMPLE.request());

        assertThatThrownBy(() -> TestModels.rewrite(new LocalObjectStore(model), checkedElsewhere,
                new StoreLocation.Local(output), TestModels::noS3, "job"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checked against the model at " + RewriteFixture.source().location())
                .hasMessageContaining("not the one at " + new LocalObjectStore(model).location());

        assertNoLocalOutput();
    }

    @Test
    void aReadFailingHalfwayIntoAnS3OutputLeavesNoModelUnderItsPrefixOnlyTheClaimedFinishedFiles() throws Exception {
        StoreLocation.S3 target = new StoreLocation.S3(S3.bucket(), "failed/run-1");
        Map<String, String> before = TestModels.fingerprint(modelInS3);
        Checkpoint checkpoint = Checkpoint.open(modelInS3);
        PruningPlan plan = PlanBuilder.build(checkpoint, README_EXAMPLE.request()).plan();
        FailingStore failing = FailingStore.failingHalfway(modelInS3, checkpoint, plan, temp.resolve("scratch"));
        List<String> written = new ArrayList<>();

        assertThatThrownBy(() -> TestModels.rewrite(failing, checkpoint, plan, target, S3::settings, "job",
                filesWritten(written))).isInstanceOf(ResumableRewriteException.class)
                .hasMessageContaining(FailingStore.FAILURE);

        assertThat(written).as("objects written before the failure").isNotEmpty();
        try (S3ObjectStore output = S3ObjectStore.open(S3.settings(), target)) {
            // The file being written when the read failed may be there too: its next run verifies it like the rest.
            assertThat(output.list()).extracting(ObjectInfo::key).as("objects under %s", target)
                    .containsAll(written).contains(JobMarker.KEY)
                    .doesNotContain(Checkpoint.CONFIG_KEY, CheckpointIndex.KEY, Manifest.FILE_NAME);
        }
        assertThat(TestModels.fingerprint(modelInS3)).isEqualTo(before);
    }

    @Test
    void anS3OutputInsideTheS3InputIsRefusedAndTheInputIsLeftAlone() throws Exception {
        StoreLocation.S3 inside = new StoreLocation.S3(S3.bucket(), MODEL_PREFIX + "/pruned");
        Map<String, String> before = TestModels.fingerprint(modelInS3);

        assertThatThrownBy(() -> TestModels.prune(modelInS3, STRIP_VISION, inside, S3::settings, "job"))
                .hasMessageContaining("overlaps");

        assertThat(TestModels.fingerprint(modelInS3)).isEqualTo(before);
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private void assertRefusedWithoutOutput(Executable job, String... messageParts) throws IOException {
        Map<String, String> before = TestModels.fingerprint(model);
        assertThatThrownBy(job::execute).satisfies(failure ->
                assertThat(failure.getMessage()).as("the message of %s", failure).contains(messageParts));
        assertNoLocalOutput();
        assertThat(TestModels.fingerprint(model)).as("the source is unchanged").isEqualTo(before);
    }

    private void assertNoLocalOutput() throws IOException {
        assertThat(output).as("the output folder").doesNotExist();
        assertThat(TestModels.stagingLeftovers(output)).as("staging folders beside the output").isEmpty();
    }

    private RewriteResult pruneLocally(Cut cut) throws Exception {
        return TestModels.prune(new LocalObjectStore(model), cut, new StoreLocation.Local(output), TestModels::noS3, "job");
    }

    private RewriteResult rewriteLocally(PruningPlan plan) throws Exception {
        LocalObjectStore source = new LocalObjectStore(model);
        return TestModels.rewrite(source, Checkpoint.open(source), plan, new StoreLocation.Local(output),
                TestModels::noS3, "job");
    }

    private static RewriteListener filesWritten(List<String> keys) {
        return new RewriteListener() {
            @Override
            public void fileWritten(ManifestEntry file) {
                keys.add(file.path());
            }
        };
    }

    private static void overwrite(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), position);
        }
    }

    /** Rewrites a shard's JSON header after {@code edit}, keeping its data section as it was. */
    private static void editHeader(Path shard, Consumer<ObjectNode> edit) throws IOException {
        byte[] file = Files.readAllBytes(shard);
        long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(file, 8, 8 + (int) headerLength));
        edit.accept(header);
        byte[] json = JSON.writeValueAsBytes(header);
        byte[] data = Arrays.copyOfRange(file, 8 + (int) headerLength, file.length);
        ByteBuffer rewritten = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        rewritten.putLong(json.length).put(json).put(data);
        Files.write(shard, rewritten.array());
    }

    private static List<String> tensorsInDataOrder(ObjectNode header) {
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(name -> {
            if (!name.equals("__metadata__")) {
                names.add(name);
            }
        });
        names.sort(Comparator.comparingLong(name -> header.get(name).get("data_offsets").get(0).asLong()));
        return names;
    }
}
