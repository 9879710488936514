package io.reapomni.common.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.common.checkpoint.MoeStack;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanJsonTest {
    private static final String PLAN = """
            {"schemaVersion": 1, "strip": ["vision"],
             "experts": {"thinker": {"0": [0, 2, 4, 6], "1": [1, 2, 3, 7]}},
             "layers": {"thinker": [0, 1]},
             "configEdits": {"/thinker_config/text_config/num_experts": 4},
             "evidence": {"scores": [0.5]}}""";

    private static PruningPlan read(String json) throws PlanException {
        return PlanJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsWritesAndReadsBackTheSamePlan() throws Exception {
        PruningPlan plan = read(PLAN);

        assertThat(plan.strips(Strip.VISION)).isTrue();
        assertThat(plan.expertsOf(MoeStack.THINKER)).get().satisfies(map -> assertThat(map.get(1)).containsExactly(1, 2, 3, 7));
        assertThat(plan.keptLayersOf(MoeStack.THINKER)).contains(List.of(0, 1));
        assertThat(PlanJson.read(PlanJson.write(plan))).isEqualTo(plan);
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readValue(mapper.writeValueAsString(plan), PruningPlan.class)).isEqualTo(plan);
        assertThat(mapper.readTree(PlanJson.write(plan))).isEqualTo(mapper.readTree(PLAN));
    }

    @Test
    void refusesUnknownFieldsWrongVersionsAndMalformedValuesNamingEachField() {
        String bad = """
                {"schemaVersion": 2, "strip": ["audio"], "stripp": [],
                 "experts": {"thinker": {"0": [0, 1.7, "3"], "x": [1]}, "vision": {}},
                 "layers": {"thinker": "0,1"}, "configEdits": {"thinker_config": 1}}""";

        assertThatThrownBy(() -> read(bad)).isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactlyInAnyOrder(
                        "unknown field \"stripp\" (known: schemaVersion, strip, experts, layers, configEdits, evidence)",
                        "schemaVersion must be 1, not 2",
                        "strip: unknown strip \"audio\": expected vision or talker",
                        "experts.thinker.0[1] must be an integer id, not 1.7",
                        "experts.thinker.0[2] must be an integer id, not \"3\"",
                        "experts.thinker: \"x\" is not a layer id",
                        "experts: unknown component \"vision\": expected thinker or talker",
                        "layers.thinker must be an array of integer ids, not \"0,1\"",
                        "configEdits: \"thinker_config\" is not a JSON pointer (it must start with /)"));
    }

    @Test
    void refusesAKeyGivenTwiceNamingWhereItIsRatherThanKeepingTheLastOne() {
        assertThatThrownBy(() -> read("{\"schemaVersion\": 1, \"layers\": {\"thinker\": [0, 1]},"
                + " \"layers\": {\"thinker\": [0]}}"))
                .isInstanceOf(PlanException.class).hasMessageContaining("Duplicate field 'layers' at /layers");
        assertThatThrownBy(() -> read("{\"schemaVersion\": 1, \"experts\": {\"thinker\": {\"0\": [0, 1], \"1\": [0, 1],"
                + " \"0\": [2, 3]}}}"))
                .isInstanceOf(PlanException.class).hasMessageContaining("Duplicate field '0' at /experts/thinker/0");
    }

    @Test
    void refusesAPlanWithoutSchemaVersion() {
        assertThatThrownBy(() -> read("{}")).hasMessageContaining("schemaVersion must be 1, not missing");
    }
}
