package io.reapomni.cli;

import io.reapomni.common.checkpoint.TestCheckpoints;
import io.reapomni.common.safetensors.SafetensorsHeaderReader;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCommandTest {
    private static final Path FIXTURE = TinyQwen3Omni.model();

    @Test
    void describesComponentsBothDecoderStacksAndAllSevenShards() throws Exception {
        CliRun run = CliRun.of("inspect", FIXTURE);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("7 shards, 1211 tensors")
                .containsPattern("(?m)^\\s+audio_tower\\s").containsPattern("(?m)^\\s+vision\\s")
                .containsPattern("(?m)^\\s+thinker_text\\s").containsPattern("(?m)^\\s+talker\\s")
                .containsPattern("(?m)^\\s+code2wav\\s")
                .containsPattern("(?m)^\\s+thinker\\s+6 layers, hidden 64.*6 MoE layers of 8 experts \\(top-2")
                .containsPattern("(?m)^\\s+talker\\s+2 layers.*shared expert; reads thinker hidden state 3");
        List<Path> shards;
        try (Stream<Path> files = Files.list(FIXTURE)) {
            shards = files.filter(file -> file.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertThat(shards).hasSize(7);
        for (Path shard : shards) {
            int tensors = SafetensorsHeaderReader.read(shard).tensors().size();
            assertThat(run.out()).as("the line of %s", shard.getFileName())
                    .containsPattern("(?m)^\\s+" + Pattern.quote(shard.getFileName().toString()) + "\\s+" + tensors + " tensors");
        }
    }

    @Test
    void withPruningFlagsDescribesWhatThePlanWouldRemoveAndChange() throws Exception {
        CliRun run = CliRun.of("inspect", FIXTURE, "--strip-vision", "--keep-experts", "0,2,4,6", "--prune-layers", "2", "4");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        long removed = TestCheckpoints.fixtureNames().stream().filter(InspectCommandTest::removedByReadmeExample).count();
        assertThat(run.out()).contains("strip     vision")
                .contains("thinker   drops layers 2,4; 4 layers remain")
                .contains("thinker   keeps experts 0,2,4,6 in layers 0,1,3,5")
                .contains("/talker_config/accept_hidden_layer = 2")
                .contains("/thinker_config/text_config/num_experts = 4")
                .contains("/thinker_config/text_config/num_hidden_layers = 4")
                .containsPattern("tensors\\s+" + removed + " removed")
                .containsPattern("(?m)^\\s+vision\\s.*\\s0 B\\s+-100.0%");
    }

    /** Vision, layers 2 and 4, and odd experts of the thinker: what the README's example removes. */
    static boolean removedByReadmeExample(String name) {
        return name.startsWith("thinker.visual.")
                || name.matches("thinker\\.model\\.layers\\.[24]\\..*")
                || name.matches("thinker\\.model\\.layers\\.\\d+\\.mlp\\.experts\\.[1357]\\..*");
    }
}
