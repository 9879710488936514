package io.reapomni.common.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.job.JobIds;
import io.reapomni.common.json.StrictJson;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Events to and from their JSON form. Reading is strict about what matters (the type, a schema version this code
 * knows, every field of the record, no duplicated key, a job id of {@link JobIds}' syntax) and says what is wrong, so
 * that a bad message can be dead-lettered with a reason.
 */
public final class EventCodec {
    private static final Map<String, Class<?>> TYPES = Arrays.stream(
                    JobEvent.class.getAnnotation(JsonSubTypes.class).value())
            .collect(Collectors.toUnmodifiableMap(JsonSubTypes.Type::name, JsonSubTypes.Type::value));

    private EventCodec() {
    }

    public static String encode(JobEvent event) {
        try {
            return StrictJson.MAPPER.writerFor(JobEvent.class).writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("events are records of plain values and always serialise", e);
        }
    }

    /** Reads a message that must be an event of type {@code type}. */
    public static <T extends JobEvent> T decode(String json, Class<T> type) throws MalformedEventException {
        JobEvent event = decode(json);
        if (!type.isInstance(event)) {
            throw new MalformedEventException("expected a " + type.getSimpleName() + " event, got "
                    + event.getClass().getSimpleName(), Optional.of(event.jobId()), null);
        }
        return type.cast(event);
    }

    public static JobEvent decode(String json) throws MalformedEventException {
        if (json == null) {
            throw new MalformedEventException("empty message", Optional.empty(), null);
        }
        JsonNode tree;
        try {
            tree = StrictJson.DOCUMENTS.readTree(json);
        } catch (JsonProcessingException e) {
            // which job a message that is not one JSON document (a duplicated key, say) was meant for is not known
            throw new MalformedEventException("unreadable event: " + StrictJson.describe(e), Optional.empty(), e);
        }
        Optional<String> jobId = jobIdOf(tree);
        JobEvent event;
        try {
            if (tree instanceof ObjectNode fields) {
                markAbsentOptionals(fields);
            }
            event = StrictJson.MAPPER.treeToValue(tree, JobEvent.class);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("unreadable event: " + StrictJson.describe(e), jobId, e);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("unreadable event: " + firstLine(e.getMessage()), jobId, e);
        }
        if (event == null) {
            throw new MalformedEventException("empty message", jobId, null);
        }
        if (event.jobId() == null || event.jobId().isBlank()) {
            throw new MalformedEventException("event without a jobId", Optional.empty(), null);
        }
        Optional<String> badJobId = JobIds.problem(event.jobId());
        if (badJobId.isPresent()) {
            // Not failed under that id either: an id that could name a path reaches no service and no topic key.
            throw new MalformedEventException(badJobId.get(), Optional.empty(), null);
        }
        if (event.schemaVersion() < 1 || event.schemaVersion() > JobEvent.SCHEMA_VERSION) {
            throw new MalformedEventException("event schema version " + event.schemaVersion()
                    + " is not one this service reads (1.." + JobEvent.SCHEMA_VERSION + ")", jobId, null);
        }
        return event;
    }

    /** Fields that a later schema version added read as empty in an event written before them. */
    private static void markAbsentOptionals(ObjectNode fields) {
        Class<?> type = TYPES.get(fields.path("type").asText());
        if (type != null && type.isRecord()) {
            StrictJson.allowAbsentOptionals(fields, type.asSubclass(Record.class));
        }
    }

    /** The {@code jobId} field of a message that may not be a valid event, when it is a valid job id. */
    private static Optional<String> jobIdOf(JsonNode node) {
        return node != null && node.path("jobId").isTextual() && JobIds.isValid(node.get("jobId").asText())
                ? Optional.of(node.get("jobId").asText()) : Optional.empty();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
