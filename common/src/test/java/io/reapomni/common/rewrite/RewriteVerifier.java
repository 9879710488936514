package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.Component;
import io.reapomni.common.checkpoint.LayerInventory;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.StackInventory;
import io.reapomni.common.plan.Strip;
import io.reapomni.common.safetensors.SafetensorsHeader;
import io.reapomni.common.safetensors.SafetensorsHeaderReader;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a rewritten checkpoint against its (local) source and the {@link Cut} that was asked for. Every expectation
 * is derived here from the source files and the rules of the rewrite (DESIGN.md): kept layers renumbered
 * contiguously, experts renumbered 0..K-1 in ascending old id, routers sliced to the kept rows, tensors copied byte
 * for byte in source order, config edits, index, other files copied, manifest. Nothing is taken from the code under
 * test except the output itself.
 */
public final class RewriteVerifier {
    public static final String CONFIG = "config.json";
    public static final String INDEX = "model.safetensors.index.json";
    public static final String MANIFEST = "reap-manifest.json";
    public static final String REPORT_JSON = "reap-report.json";
    public static final String REPORT_MARKDOWN = "REPORT.md";
    /** The report's figure of parameters per component, which every rewrite draws. */
    public static final String PARAMETERS_FIGURE = "reap-parameters.svg";
    /** Files the rewrite writes itself rather than copies (plans with listed experts and layers draw no scores). */
    public static final Set<String> WRITTEN_FILES = Set.of(CONFIG, INDEX, MANIFEST, REPORT_JSON, REPORT_MARKDOWN,
            PARAMETERS_FIGURE);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern THINKER_LAYER = Pattern.compile("^thinker\\.model\\.layers\\.(\\d+)\\.(.+)$");
    private static final Pattern EXPERT = Pattern.compile("^mlp\\.experts\\.(\\d+)\\.(.+)$");
    private static final String ROUTER = "mlp.gate.weight";
    private static final String THINKER_TEXT = "/thinker_config/text_config";

    private RewriteVerifier() {
    }

    /** What the source and the output hold, counted from their shards. */
    public record Totals(int tensorsBefore, long parametersBefore, int tensorsAfter, long parametersAfter,
                         long tensorBytesAfter, long outputFileBytes) {
    }

    /** A tensor the output must hold: its new name, the source bytes it comes from, and the kept rows of a router. */
    private record Expected(String name, Path sourceShard, long dataStart, TensorInfo source,
                            Optional<List<Integer>> routerRows) {
        List<Long> shape() {
            if (routerRows.isEmpty()) {
                return source.shape();
            }
            List<Long> shape = new ArrayList<>(source.shape());
            shape.set(0, (long) routerRows.get().size());
            return shape;
        }
    }

    /** One tensor as read from an output shard. */
    private record Actual(String shard, TensorInfo info, byte[] bytes) {
    }

    /** Checks the output and the result the rewrite returned. */
    public static Totals verify(Path source, ObjectStore output, Cut cut, RewriteResult result) throws IOException {
        Totals totals = verify(source, output, cut);
        String where = cut.name();
        checkReport(result.report(), totals, cut, source, where + ": returned report");
        assertThat(result.manifest().files()).as("%s: returned manifest = written manifest", where)
                .isEqualTo(ReportFiles.readManifest(output.readAll(MANIFEST, 1 << 24)).files());
        TransferStats transfer = result.transfer();
        assertThat(transfer.bytesWritten()).as("%s: bytes written = size of every output file", where)
                .isEqualTo(totals.outputFileBytes());
        assertThat(transfer.bytesStreamed() + transfer.bytesCopiedInPlace())
                .as("%s: every written byte was streamed or copied in place", where)
                .isEqualTo(transfer.bytesWritten());
        return totals;
    }

    /** Checks the output: shards, tensors, config, index, other files, manifest, report file, re-inspection. */
    public static Totals verify(Path source, ObjectStore output, Cut cut) throws IOException {
        String where = cut.name();
        ObjectNode sourceConfig = (ObjectNode) JSON.readTree(source.resolve(CONFIG).toFile());
        int sourceLayers = sourceConfig.at(THINKER_TEXT + "/num_hidden_layers").asInt();
        int sourceExperts = thinkerExperts(sourceConfig);

        List<Path> sourceShards = filesOf(source).stream().filter(file -> isShard(file.getFileName().toString())).toList();
        List<Expected> expected = new ArrayList<>();
        int tensorsBefore = 0;
        long parametersBefore = 0;
        for (Path shard : sourceShards) {
            SafetensorsHeader header = SafetensorsHeaderReader.read(shard);
            for (TensorInfo tensor : header.tensors()) {
                tensorsBefore++;
                parametersBefore += tensor.elementCount();
                expectedOf(tensor.name(), cut).ifPresent(target -> expected.add(new Expected(target.name(), shard,
                        header.dataStart(), tensor, target.routerRows())));
            }
        }

        // Each output file is read once; the checks below look at these bytes.
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (ObjectInfo object : output.list()) {
            files.put(object.key(), output.readAll(object.key(), Integer.MAX_VALUE - 16));
            assertThat((long) files.get(object.key()).length).as("%s: listed size of %s", where, object.key())
                    .isEqualTo(object.size());
        }
        assertThat(files.keySet()).as("%s: no hidden or temporary files in the output", where)
                .noneMatch(key -> key.startsWith(".") || key.contains("/."));
        List<String> shardKeys = files.keySet().stream().filter(RewriteVerifier::isShard).sorted().toList();
        List<Actual> actual = new ArrayList<>();
        for (String key : shardKeys) {
            byte[] file = files.get(key);
            SafetensorsHeader header = SafetensorsHeaderReader.read(key, file.length,
                    (offset, length) -> new ByteArrayInputStream(file, (int) offset, (int) length));
            assertThat(header.fileLength()).as("%s: %s is exactly header plus tensors", where, key).isEqualTo(file.length);
            for (TensorInfo tensor : header.tensors()) {
                int from = (int) (header.dataStart() + tensor.begin());
                actual.add(new Actual(key, tensor, Arrays.copyOfRange(file, from, from + (int) tensor.byteLength())));
            }
        }

        assertThat(actual.stream().map(tensor -> tensor.info().name()).toList())
                .as("%s: output tensors (kept ones under their new names, in source order, dropped ones absent)", where)
                .containsExactlyElementsOf(expected.stream().map(Expected::name).toList());
        long parametersAfter = 0;
        long bytesAfter = 0;
        Map<String, String> shardOf = new HashMap<>();
        for (int i = 0; i < expected.size(); i++) {
            Expected want = expected.get(i);
            Actual got = actual.get(i);
            String name = want.name() + " (from " + want.source().name() + ")";
            assertThat(got.info().dtype()).as("%s: dtype of %s", where, name).isEqualTo(want.source().dtype());
            assertThat(got.info().shape()).as("%s: shape of %s", where, name).isEqualTo(want.shape());
            if (want.routerRows().isPresent()) {
                checkRouterRows(where, name, want, got.bytes());
            } else {
                assertThat(Arrays.equals(got.bytes(), sourceBytes(want.sourceShard(), want.dataStart(), want.source(),
                        0, want.source().byteLength())))
                        .as("%s: bytes of %s are the source's, byte for byte", where, name).isTrue();
            }
            parametersAfter += got.info().elementCount();
            bytesAfter += got.info().byteLength();
            shardOf.put(got.info().name(), got.shard());
        }

        checkIndex(where, source, files, shardOf, bytesAfter, parametersAfter);
        assertThat(new TreeSet<>(shardOf.values())).as("%s: every output shard holds tensors", where)
                .containsExactlyElementsOf(shardKeys);
        checkConfig(where, sourceConfig, JSON.readTree(files.get(CONFIG)), cut);

        List<String> copied = filesOf(source).stream().map(file -> file.getFileName().toString())
                .filter(key -> !isShard(key) && !WRITTEN_FILES.contains(key)).toList();
        for (String key : copied) {
            assertThat(files.containsKey(key) && Arrays.equals(files.get(key), Files.readAllBytes(source.resolve(key))))
                    .as("%s: %s is copied unchanged", where, key).isTrue();
        }
        List<String> expectedKeys = new ArrayList<>(shardKeys);
        expectedKeys.addAll(copied);
        expectedKeys.addAll(WRITTEN_FILES);
        if (!Files.exists(source.resolve(INDEX))) {
            expectedKeys.remove(INDEX);
        }
        assertThat(files.keySet()).as("%s: the output's files", where).containsExactlyInAnyOrderElementsOf(expectedKeys);

        checkManifest(where, files);
        checkReopened(where, output, cut, sourceLayers, sourceExperts, expected.size());

        long outputFileBytes = files.values().stream().mapToLong(content -> content.length).sum();
        Totals totals = new Totals(tensorsBefore, parametersBefore, expected.size(), parametersAfter, bytesAfter,
                outputFileBytes);
        checkReport(ReportFiles.readReport(files.get(REPORT_JSON)), totals, cut, source,
                where + ": " + REPORT_JSON);
        return totals;
    }

    /** Where a kept source tensor goes: its new name, and for a sliced router the source rows it keeps, in order. */
    private record Target(String name, Optional<List<Integer>> routerRows) {
    }

    /** The target of a source tensor under the cut, or empty when the cut drops it. */
    private static Optional<Target> expectedOf(String name, Cut cut) {
        if (cut.strip().contains(Strip.VISION) && name.startsWith("thinker.visual.")) {
            return Optional.empty();
        }
        if (cut.strip().contains(Strip.TALKER) && (name.startsWith("talker.") || name.startsWith("code2wav."))) {
            return Optional.empty();
        }
        Matcher layer = THINKER_LAYER.matcher(name);
        if (!layer.matches()) {
            return Optional.of(new Target(name, Optional.empty()));
        }
        int oldLayer = Integer.parseInt(layer.group(1));
        if (cut.droppedLayers().contains(oldLayer)) {
            return Optional.empty();
        }
        int newLayer = oldLayer - (int) cut.droppedLayers().stream().filter(dropped -> dropped < oldLayer).count();
        String rest = layer.group(2);
        Matcher expert = EXPERT.matcher(rest);
        OptionalInt newExpert = expert.matches()
                ? OptionalInt.of(Integer.parseInt(expert.group(1))) : OptionalInt.empty();
        Optional<List<Integer>> rows = Optional.empty();
        if (cut.prunesExperts()) {
            List<Integer> kept = cut.keptExperts().get(oldLayer);
            if (newExpert.isPresent()) {
                int oldExpert = newExpert.getAsInt();
                if (!kept.contains(oldExpert)) {
                    return Optional.empty();
                }
                // Kept ids are ascending, so the position in the list is the rank among kept experts.
                newExpert = OptionalInt.of(kept.indexOf(oldExpert));
            } else if (rest.equals(ROUTER)) {
                rows = Optional.of(kept);
            }
        }
        // The ids are worked out here; the layout (checked against the fixture's own names) spells the new name.
        String target = Qwen3OmniLayout.classify(name).layerTensor().orElseThrow().renamed(newLayer, newExpert);
        return Optional.of(new Target(target, rows));
    }

    private static void checkRouterRows(String where, String name, Expected want, byte[] got) throws IOException {
        TensorInfo source = want.source();
        long rowBytes = source.byteLength() / source.shape().get(0);
        List<Integer> rows = want.routerRows().get();
        assertThat((long) got.length).as("%s: %s holds %d rows", where, name, rows.size())
                .isEqualTo(rows.size() * rowBytes);
        for (int row = 0; row < rows.size(); row++) {
            byte[] expectedRow = sourceBytes(want.sourceShard(), want.dataStart(), source, rows.get(row) * rowBytes, rowBytes);
            byte[] actualRow = Arrays.copyOfRange(got, (int) (row * rowBytes), (int) ((row + 1) * rowBytes));
            assertThat(Arrays.equals(actualRow, expectedRow))
                    .as("%s: row %d of router %s is source row %d", where, row, name, rows.get(row)).isTrue();
        }
    }

    private static void checkIndex(String where, Path source, Map<String, byte[]> files, Map<String, String> shardOf,
                                   long bytes, long parameters) throws IOException {
        if (!Files.exists(source.resolve(INDEX))) {
            return;
        }
        JsonNode index = JSON.readTree(files.get(INDEX));
        Map<String, String> weightMap = new HashMap<>();
        index.get("weight_map").fields().forEachRemaining(entry -> weightMap.put(entry.getKey(), entry.getValue().asText()));
        assertThat(weightMap).as("%s: the index's weight_map is where the tensors are", where).isEqualTo(shardOf);
        assertThat(index.at("/metadata/total_size").asLong()).as("%s: index total_size", where).isEqualTo(bytes);
        JsonNode sourceParameters = JSON.readTree(source.resolve(INDEX).toFile()).at("/metadata/total_parameters");
        if (sourceParameters.isNumber()) {
            assertThat(index.at("/metadata/total_parameters").asLong()).as("%s: index total_parameters", where)
                    .isEqualTo(parameters);
        }
    }

    /** The source config with exactly the edits the cut implies, and nothing else changed. */
    public static ObjectNode expectedConfig(ObjectNode sourceConfig, Cut cut) {
        ObjectNode config = sourceConfig.deepCopy();
        ObjectNode text = (ObjectNode) config.at(THINKER_TEXT);
        if (cut.prunesExperts()) {
            text.put(text.has("num_local_experts") ? "num_local_experts" : "num_experts", cut.keptExpertCount());
        }
        if (!cut.droppedLayers().isEmpty()) {
            text.put("num_hidden_layers", text.get("num_hidden_layers").asInt() - cut.droppedLayers().size());
            boolean talkerReadsThinker = !cut.strip().contains(Strip.TALKER)
                    && config.path("enable_audio_output").asBoolean(true);
            JsonNode accept = config.at("/talker_config/accept_hidden_layer");
            if (talkerReadsThinker && accept.isInt()) {
                int state = accept.asInt();
                // Hidden state h enters layer h; after the cut that depth is reached after the kept layers below h.
                int removedBelow = (int) cut.droppedLayers().stream().filter(layer -> layer < state).count();
                ((ObjectNode) config.get("talker_config")).put("accept_hidden_layer", state - removedBelow);
            }
        }
        if (cut.strip().contains(Strip.TALKER)) {
            config.put("enable_audio_output", false);
        }
        return config;
    }

    private static void checkConfig(String where, ObjectNode sourceConfig, JsonNode written, Cut cut) {
        assertThat(written).as("%s: config.json is the source's with exactly the cut's edits", where)
                .isEqualTo(expectedConfig(sourceConfig, cut));
    }

    private static void checkManifest(String where, Map<String, byte[]> files) throws IOException {
        JsonNode manifest = JSON.readTree(files.get(MANIFEST));
        Map<String, JsonNode> entries = new HashMap<>();
        manifest.get("files").forEach(entry -> entries.put(entry.get("path").asText(), entry));
        assertThat(manifest.get("files").size()).as("%s: manifest lists each file once", where).isEqualTo(entries.size());
        Set<String> listed = new TreeSet<>(files.keySet());
        listed.remove(MANIFEST);
        assertThat(entries.keySet()).as("%s: the manifest lists every file but itself", where)
                .containsExactlyInAnyOrderElementsOf(listed);
        for (String key : listed) {
            byte[] content = files.get(key);
            assertThat(entries.get(key).get("size").asLong()).as("%s: manifest size of %s", where, key)
                    .isEqualTo(content.length);
            assertThat(entries.get(key).get("sha256").asText()).as("%s: manifest SHA-256 of %s", where, key)
                    .isEqualTo(sha256(content));
        }
    }

    private static void checkReopened(String where, ObjectStore output, Cut cut, int sourceLayers, int sourceExperts,
                                      int tensors) throws IOException {
        Checkpoint reopened = Checkpoint.open(output);
        assertThat(reopened.tensorInfos()).as("%s: re-inspected tensors", where).hasSize(tensors);
        StackInventory thinker = reopened.inventory().stacks().get(MoeStack.THINKER);
        int layers = sourceLayers - cut.droppedLayers().size();
        assertThat(thinker.layers().keySet()).as("%s: re-inspected thinker layers", where)
                .containsExactlyElementsOf(IntStream.range(0, layers).boxed().toList());
        int experts = cut.prunesExperts() ? cut.keptExpertCount() : sourceExperts;
        for (LayerInventory layer : thinker.layers().values()) {
            assertThat(layer.experts()).as("%s: re-inspected experts of thinker layer %d", where, layer.layer())
                    .containsExactlyElementsOf(IntStream.range(0, experts).boxed().toList());
        }
        assertThat(reopened.config().stack(MoeStack.THINKER).numExperts()).isEqualTo(experts);
        if (cut.strip().contains(Strip.VISION)) {
            assertThat(reopened.inventory().has(Component.VISION)).as("%s: vision is gone", where).isFalse();
        }
        if (cut.strip().contains(Strip.TALKER)) {
            assertThat(reopened.inventory().has(Component.TALKER) || reopened.inventory().has(Component.CODE2WAV))
                    .as("%s: talker and code2wav are gone", where).isFalse();
            assertThat(reopened.inventory().stacks()).as("%s: no talker stack", where).doesNotContainKey(MoeStack.TALKER);
        }
    }

    private static void checkReport(RewriteReport report, Totals totals, Cut cut, Path source, String where)
            throws IOException {
        assertThat(report.parametersBefore()).as("%s: parameters before", where).isEqualTo(totals.parametersBefore());
        assertThat(report.parametersAfter()).as("%s: parameters after = sum over the output's tensors", where)
                .isEqualTo(totals.parametersAfter());
        assertThat(report.bytesAfter()).as("%s: tensor bytes after", where).isEqualTo(totals.tensorBytesAfter());
        assertThat(report.tensors().removed()).as("%s: tensors removed", where)
                .isEqualTo(totals.tensorsBefore() - totals.tensorsAfter());
        assertThat(report.shards().stream().mapToInt(RewriteReport.ShardRow::tensors).sum())
                .as("%s: tensors in the report's shards", where).isEqualTo(totals.tensorsAfter());
        assertThat(report.shards().stream().mapToLong(RewriteReport.ShardRow::bytes).sum())
                .as("%s: bytes in the report's shards", where).isEqualTo(totals.tensorBytesAfter());
        ObjectNode sourceConfig = (ObjectNode) JSON.readTree(source.resolve(CONFIG).toFile());
        RewriteReport.StackRow thinker = report.stacks().stream().filter(row -> row.stack().equals("thinker"))
                .findFirst().orElseThrow(() -> new AssertionError(where + ": no thinker row in the report"));
        int layers = sourceConfig.at(THINKER_TEXT + "/num_hidden_layers").asInt();
        assertThat(thinker.layersBefore()).as("%s: thinker layers before", where).isEqualTo(layers);
        assertThat(thinker.layersAfter()).as("%s: thinker layers after", where)
                .isEqualTo(layers - cut.droppedLayers().size());
        assertThat(thinker.removedLayers()).as("%s: thinker layers removed", where)
                .containsExactlyElementsOf(cut.droppedLayers().stream().sorted().toList());
        assertThat(thinker.expertsAfter()).as("%s: thinker experts after", where)
                .isEqualTo(cut.prunesExperts() ? cut.keptExpertCount() : thinkerExperts(sourceConfig));
        assertThat(report.stacks().stream().anyMatch(row -> row.stack().equals("talker")))
                .as("%s: a talker row unless the talker is stripped", where)
                .isEqualTo(!cut.strip().contains(Strip.TALKER) && hasTalkerLayers(source));
    }

    private static boolean hasTalkerLayers(Path source) throws IOException {
        JsonNode weights = JSON.readTree(source.resolve(INDEX).toFile()).get("weight_map");
        Iterable<String> names = weights::fieldNames;
        for (String name : names) {
            if (name.startsWith("talker.model.layers.")) {
                return true;
            }
        }
        return false;
    }

    private static int thinkerExperts(JsonNode config) {
        JsonNode text = config.at(THINKER_TEXT);
        return (text.has("num_local_experts") ? text.get("num_local_experts") : text.get("num_experts")).asInt();
    }

    private static byte[] sourceBytes(Path shard, long dataStart, TensorInfo tensor, long offset, long length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.READ)) {
            long position = dataStart + tensor.begin() + offset;
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException(shard + " ended before " + tensor.name() + " did");
                }
            }
        }
        return buffer.array();
    }

    private static boolean isShard(String key) {
        return key.endsWith(".safetensors");
    }

    private static List<Path> filesOf(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
