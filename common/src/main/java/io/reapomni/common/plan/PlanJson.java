package io.reapomni.common.plan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.reapomni.common.checkpoint.DecimalIndex;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.json.StrictJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The JSON form of a {@link PruningPlan}:
 * <pre>
 * {"schemaVersion": 1,
 *  "strip": ["vision", "talker"],
 *  "experts": {"thinker": {"0": [0, 2, 4, 6], "1": [1, 2, 3, 7]}},
 *  "layers": {"thinker": [0, 1, 3, 5]},
 *  "configEdits": {"/thinker_config/text_config/num_experts": 4},
 *  "evidence": {...}}
 * </pre>
 * Reading is strict, because people edit plans by hand: unknown fields, a key given twice, another schema version,
 * and values of the wrong type (a string or a fraction where an id belongs) are refused with the path of the field.
 */
public final class PlanJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> FIELDS = List.of("schemaVersion", "strip", "experts", "layers", "configEdits", "evidence");

    private PlanJson() {
    }

    public static PruningPlan read(byte[] json) throws PlanException {
        JsonNode root;
        try {
            root = StrictJson.DOCUMENTS.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PlanException("the plan is not valid JSON", List.of(StrictJson.describe(e)));
        } catch (IOException e) {
            throw new PlanException("the plan is not valid JSON", List.of(String.valueOf(e.getMessage())));
        }
        return fromTree(root);
    }

    public static byte[] write(PruningPlan plan) {
        try {
            return (StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toTree(plan)) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    public static ObjectNode toTree(PruningPlan plan) {
        ObjectNode root = NODES.objectNode();
        root.put("schemaVersion", PruningPlan.SCHEMA_VERSION);
        ArrayNode strip = root.putArray("strip");
        plan.strip().forEach(modality -> strip.add(modality.id()));
        ObjectNode experts = root.putObject("experts");
        plan.experts().forEach((stack, perLayer) -> {
            ObjectNode layers = experts.putObject(stack.id());
            perLayer.forEach((layer, ids) -> intArray(layers.putArray(String.valueOf(layer)), ids));
        });
        ObjectNode layers = root.putObject("layers");
        plan.layers().forEach((stack, kept) -> intArray(layers.putArray(stack.id()), kept));
        ObjectNode edits = root.putObject("configEdits");
        plan.configEdits().forEach(edits::set);
        if (!plan.evidence().isEmpty()) {
            root.set("evidence", plan.evidence());
        }
        return root;
    }

    public static PruningPlan fromTree(JsonNode root) throws PlanException {
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new PlanException("the plan is not readable", List.of("a plan is a JSON object"));
        }
        root.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                problems.add("unknown field \"" + field + "\" (known: " + String.join(", ", FIELDS) + ")");
            }
        });
        JsonNode version = root.path("schemaVersion");
        if (!version.isIntegralNumber() || version.asInt() != PruningPlan.SCHEMA_VERSION) {
            problems.add("schemaVersion must be " + PruningPlan.SCHEMA_VERSION + ", not " + describe(version));
        }
        Set<Strip> strip = readStrip(root.path("strip"), problems);
        Map<MoeStack, SortedMap<Integer, List<Integer>>> experts = new EnumMap<>(MoeStack.class);
        forEachStack(root.path("experts"), "experts", problems, (stack, node, path) -> {
            if (!node.isObject()) {
                problems.add(path + " must be an object of layer id → expert ids, not " + describe(node));
                return;
            }
            SortedMap<Integer, List<Integer>> perLayer = new TreeMap<>();
            node.fields().forEachRemaining(entry -> {
                OptionalInt layer = DecimalIndex.parse(entry.getKey());
                if (layer.isEmpty()) {
                    problems.add(path + ": \"" + entry.getKey() + "\" is not a layer id");
                } else {
                    perLayer.put(layer.getAsInt(), readIds(entry.getValue(), path + "." + entry.getKey(), problems));
                }
            });
            experts.put(stack, perLayer);
        });
        Map<MoeStack, List<Integer>> layers = new EnumMap<>(MoeStack.class);
        forEachStack(root.path("layers"), "layers", problems,
                (stack, node, path) -> layers.put(stack, readIds(node, path, problems)));
        SortedMap<String, JsonNode> edits = readConfigEdits(root.path("configEdits"), problems);
        JsonNode evidence = root.path("evidence");
        if (!evidence.isMissingNode() && !evidence.isObject()) {
            problems.add("evidence must be an object, not " + describe(evidence));
        }
        if (!problems.isEmpty()) {
            throw new PlanException("the plan is not readable", problems);
        }
        return new PruningPlan(strip, experts, layers, edits,
                evidence.isObject() ? (ObjectNode) evidence : NODES.objectNode());
    }

    private static Set<Strip> readStrip(JsonNode node, List<String> problems) {
        Set<Strip> strip = EnumSet.noneOf(Strip.class);
        if (node.isMissingNode()) {
            return strip;
        }
        if (!node.isArray()) {
            problems.add("strip must be an array of \"vision\" and \"talker\", not " + describe(node));
            return strip;
        }
        for (JsonNode element : node) {
            try {
                if (!element.isTextual() || !strip.add(Strip.parse(element.asText()))) {
                    problems.add("strip: " + describe(element) + " is not a modality or is listed twice");
                }
            } catch (IllegalArgumentException e) {
                problems.add("strip: " + e.getMessage());
            }
        }
        return strip;
    }

    private static SortedMap<String, JsonNode> readConfigEdits(JsonNode node, List<String> problems) {
        SortedMap<String, JsonNode> edits = new TreeMap<>();
        if (node.isMissingNode()) {
            return edits;
        }
        if (!node.isObject()) {
            problems.add("configEdits must be an object of JSON pointer → value, not " + describe(node));
            return edits;
        }
        node.fields().forEachRemaining(entry -> {
            if (!entry.getKey().startsWith("/")) {
                problems.add("configEdits: \"" + entry.getKey() + "\" is not a JSON pointer (it must start with /)");
            }
            edits.put(entry.getKey(), entry.getValue());
        });
        return edits;
    }

    private interface StackEntry {
        void accept(MoeStack stack, JsonNode node, String path);
    }

    private static void forEachStack(JsonNode node, String field, List<String> problems, StackEntry entry) {
        if (node.isMissingNode()) {
            return;
        }
        if (!node.isObject()) {
            problems.add(field + " must be an object keyed by thinker or talker, not " + describe(node));
            return;
        }
        node.fields().forEachRemaining(stackEntry -> {
            try {
                MoeStack stack = MoeStack.parse(stackEntry.getKey());
                entry.accept(stack, stackEntry.getValue(), field + "." + stackEntry.getKey());
            } catch (IllegalArgumentException e) {
                problems.add(field + ": " + e.getMessage());
            }
        });
    }

    private static List<Integer> readIds(JsonNode node, String path, List<String> problems) {
        List<Integer> ids = new ArrayList<>();
        if (!node.isArray()) {
            problems.add(path + " must be an array of integer ids, not " + describe(node));
            return ids;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (element.isIntegralNumber() && element.canConvertToInt()) {
                ids.add(element.asInt());
            } else {
                problems.add(path + "[" + i + "] must be an integer id, not " + describe(element));
            }
        }
        return ids;
    }

    private static void intArray(ArrayNode array, List<Integer> values) {
        values.forEach(array::add);
    }

    private static String describe(JsonNode node) {
        return node.isMissingNode() ? "missing" : node.toString();
    }

    /** Lets a plan travel inside events and reports that are written with Jackson databind. */
    static final class Serializer extends StdSerializer<PruningPlan> {
        Serializer() {
            super(PruningPlan.class);
        }

        @Override
        public void serialize(PruningPlan plan, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeTree(toTree(plan));
        }
    }

    /** Reads a plan inside events and reports with the same strict rules as {@link #read}. */
    static final class Deserializer extends StdDeserializer<PruningPlan> {
        Deserializer() {
            super(PruningPlan.class);
        }

        @Override
        public PruningPlan deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = parser.readValueAsTree();
            try {
                return fromTree(tree);
            } catch (PlanException e) {
                throw JsonMappingException.from(parser, e.getMessage(), e);
            }
        }
    }
}
