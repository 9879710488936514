package io.reapomni.common.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * How reap-omni reads the JSON documents that people write or that come from outside (plans, configs, indexes,
 * events, safetensors headers): a key given twice is refused, since readers disagree on which one wins (Python and
 * Jackson keep the last, others the first), and nothing may follow a whole document. Problems are described with the
 * JSON pointer of where they are.
 */
public final class StrictJson {
    /**
     * The one configured mapper of reap-omni's main code: no key twice, records with {@code Optional} and
     * {@code java.time} fields (dates as ISO text), a null refused for a primitive and every creator property
     * required. It writes compact JSON; {@code MAPPER.writerWithDefaultPrettyPrinter()} writes files people read.
     * Whole documents are read through {@link #DOCUMENTS}.
     */
    public static final JsonMapper MAPPER = mapperBuilder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    /** {@link #MAPPER} reading whole documents as trees: nothing may follow the document either. */
    public static final ObjectReader DOCUMENTS = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {
    }

    /**
     * A builder of a mapper that refuses duplicated keys. It does not refuse trailing tokens: Jackson applies that
     * check to every tree read, the nested ones that custom deserializers make included (see {@link #DOCUMENTS}).
     */
    private static JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder(factory());
    }

    /**
     * Marks the {@code Optional} components of {@code record} that {@code fields} lacks as null, so that
     * {@link #MAPPER} reads them as empty while every other component stays required: a field that a later version
     * of a document added is an {@code Optional}, and a document written before it reads without it. Components are
     * found under the names the mapper gives them ({@code @JsonNaming}), and so are those of the records nested in
     * {@code fields}: directly, in an {@code Optional}, or as the elements of a list, an array or a map. A value that
     * a deserializer of its own reads (a pruning plan) is left as it is.
     */
    public static void allowAbsentOptionals(ObjectNode fields, Class<? extends Record> record) {
        allowAbsentOptionals(fields, MAPPER.constructType(record));
    }

    private static void allowAbsentOptionals(JsonNode value, JavaType type) {
        if (type.isRecordType() && value instanceof ObjectNode fields) {
            BeanDescription record = MAPPER.getDeserializationConfig().introspect(type);
            if (readsItsOwnWay(record.getClassInfo())) {
                return;
            }
            for (BeanPropertyDefinition property : record.findProperties()) {
                JsonNode field = fields.get(property.getName());
                if (field == null) {
                    if (property.getPrimaryType().hasRawClass(Optional.class)) {
                        fields.putNull(property.getName());
                    }
                } else if (!readsItsOwnWay(property.getPrimaryMember())) {
                    allowAbsentOptionals(field, property.getPrimaryType());
                }
            }
        } else if (type.isReferenceType()) {
            allowAbsentOptionals(value, type.getReferencedType());
        } else if (type.isContainerType()) {
            // the elements of a list or an array, the values of a map
            value.elements().forEachRemaining(element -> allowAbsentOptionals(element, type.getContentType()));
        }
    }

    private static boolean readsItsOwnWay(Annotated annotated) {
        return annotated != null && MAPPER.getDeserializationConfig().getAnnotationIntrospector()
                .findDeserializer(annotated) != null;
    }

    /** A whole document as a {@code record}, whose absent {@code Optional} fields read as empty. */
    public static <T extends Record> T readRecord(byte[] json, Class<T> record) throws IOException {
        JsonNode tree = DOCUMENTS.readTree(json);
        if (tree instanceof ObjectNode fields) {
            allowAbsentOptionals(fields, record);
        }
        return MAPPER.treeToValue(tree, record);
    }

    /** A JSON factory whose parsers refuse duplicated keys, for streaming reads. */
    public static JsonFactory factory() {
        return JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    /** What is wrong with a document, in one line, with the JSON pointer of the place when the parser knows it. */
    public static String describe(JsonProcessingException problem) {
        String message = problem.getOriginalMessage() == null ? problem.getClass().getSimpleName()
                : problem.getOriginalMessage();
        if (problem instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return firstLine(message) + " at " + pointer(mapping.getPath());
        }
        JsonParser parser = problem instanceof StreamReadException read ? read.getProcessor() : null;
        if (parser != null && parser.getParsingContext() != null) {
            String pointer = parser.getParsingContext().pathAsPointer().toString();
            return firstLine(message) + (pointer.isEmpty() ? "" : " at " + pointer);
        }
        return firstLine(message);
    }

    /** The JSON pointer of a value that could not be bound, from the fields and indexes that lead to it. */
    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference step : path) {
            pointer.append('/').append(step.getFieldName() != null
                    ? step.getFieldName().replace("~", "~0").replace("/", "~1") : String.valueOf(step.getIndex()));
        }
        return pointer.toString();
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
