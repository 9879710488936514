package io.reapomni.common.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one mapper: what every reader of reap-omni refuses, and how records are written. */
class StrictJsonTest {

    record Sample(String name, int count, Optional<String> note, Instant at) {
    }

    @Test
    void writesOptionalsAsTheirValueAndInstantsAsIsoText() throws JsonProcessingException {
        Sample sample = new Sample("a", 2, Optional.of("n"), Instant.parse("2026-12-07T04:00:00Z"));

        String json = StrictJson.MAPPER.writeValueAsString(sample);

        assertThat(json).isEqualTo("{\"name\":\"a\",\"count\":2,\"note\":\"n\",\"at\":\"2026-12-07T04:00:00Z\"}");
        assertThat(StrictJson.MAPPER.readValue(json, Sample.class)).isEqualTo(sample);
    }

    @Test
    void refusesAKeyGivenTwiceAMissingFieldAndANullCount() {
        assertThatThrownBy(() -> StrictJson.MAPPER.readValue(
                "{\"name\":\"a\",\"name\":\"b\",\"count\":1,\"note\":null,\"at\":\"2026-12-07T04:00:00Z\"}",
                Sample.class)).hasMessageContaining("Duplicate field 'name'");
        assertThatThrownBy(() -> StrictJson.MAPPER.readValue(
                "{\"name\":\"a\",\"note\":null,\"at\":\"2026-12-07T04:00:00Z\"}", Sample.class))
                .hasMessageContaining("Missing creator property 'count'");
        assertThatThrownBy(() -> StrictJson.MAPPER.readValue(
                "{\"name\":\"a\",\"count\":null,\"note\":null,\"at\":\"2026-12-07T04:00:00Z\"}", Sample.class))
                .hasMessageContaining("null");
    }

    @Test
    void aRecordWrittenBeforeAnOptionalFieldWasAddedReadsWithoutItWhileEveryOtherFieldStaysRequired()
            throws Exception {
        byte[] withoutNote = "{\"name\":\"a\",\"count\":2,\"at\":\"2026-12-07T04:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] withoutCount = "{\"name\":\"a\",\"at\":\"2026-12-07T04:00:00Z\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(StrictJson.readRecord(withoutNote, Sample.class))
                .isEqualTo(new Sample("a", 2, Optional.empty(), Instant.parse("2026-12-07T04:00:00Z")));
        assertThatThrownBy(() -> StrictJson.readRecord(withoutCount, Sample.class))
                .hasMessageContaining("Missing creator property 'count'");
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Part(String partName, Optional<String> addedLater) {
    }

    record Whole(Part first, Optional<Part> maybe, List<Part> listed, Map<String, Part> named,
                 Optional<String> addedLater) {
    }

    /** Later fields of records inside a document, under the names the mapper writes them with. */
    @Test
    void nestedRecordsWrittenBeforeAnOptionalFieldWasAddedReadWithoutIt() throws Exception {
        byte[] written = ("{\"first\": {\"part_name\": \"a\"}, \"maybe\": {\"part_name\": \"b\"},"
                + " \"listed\": [{\"part_name\": \"c\", \"added_later\": \"x\"}, {\"part_name\": \"d\"}],"
                + " \"named\": {\"e\": {\"part_name\": \"e\"}}}").getBytes(StandardCharsets.UTF_8);
        byte[] missingName = "{\"first\": {}, \"maybe\": null, \"listed\": [], \"named\": {}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(StrictJson.readRecord(written, Whole.class)).isEqualTo(new Whole(
                new Part("a", Optional.empty()), Optional.of(new Part("b", Optional.empty())),
                List.of(new Part("c", Optional.of("x")), new Part("d", Optional.empty())),
                Map.of("e", new Part("e", Optional.empty())), Optional.empty()));
        assertThatThrownBy(() -> StrictJson.readRecord(missingName, Whole.class))
                .hasMessageContaining("Missing creator property 'part_name'");
    }

    @Test
    void aDocumentIsOneValueWithNothingAfterIt() throws JsonProcessingException {
        assertThat(StrictJson.DOCUMENTS.readTree("{\"eos_token_id\": [1, 2]}").path("eos_token_id").size())
                .isEqualTo(2);
        assertThatThrownBy(() -> StrictJson.DOCUMENTS.readTree("{\"a\": 1} {\"a\": 2}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Trailing token");
        assertThatThrownBy(() -> StrictJson.DOCUMENTS.readTree("{\"a\": 1, \"a\": 2}"))
                .hasMessageContaining("Duplicate field 'a'");
    }
}
