package io.reapomni.common.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reapomni.common.checkpoint.TestCheckpoints;
import io.reapomni.common.safetensors.SafetensorsHeader;
import io.reapomni.common.safetensors.SafetensorsHeaderReader;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.reapomni.common.rewrite.FixtureCuts.DROP_LAYERS;
import static io.reapomni.common.rewrite.FixtureCuts.EVERYTHING;
import static io.reapomni.common.rewrite.FixtureCuts.KEEP_EVEN_EXPERTS;
import static io.reapomni.common.rewrite.FixtureCuts.LAYERS;
import static io.reapomni.common.rewrite.FixtureCuts.README_EXAMPLE;
import static io.reapomni.common.rewrite.FixtureCuts.STRIP_TALKER;
import static io.reapomni.common.rewrite.FixtureCuts.STRIP_VISION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rewrite on the real (tiny) Qwen3-Omni checkpoint: each kind of surgery, alone and together, from local to
 * local and through an S3 endpoint in every direction, checked tensor by tensor against the source.
 */
class CheckpointRewriterFixtureTest {
    private static final Path FIXTURE = TinyQwen3Omni.model();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static S3ObjectStore fixtureInS3;

    enum Route {
        LOCAL_TO_LOCAL(false, false), LOCAL_TO_S3(false, true), S3_TO_LOCAL(true, false), S3_TO_S3(true, true);

        final boolean fromS3;
        final boolean toS3;

        Route(boolean fromS3, boolean toS3) {
            this.fromS3 = fromS3;
            this.toS3 = toS3;
        }
    }

    @BeforeAll
    static void uploadFixture() throws IOException {
        fixtureInS3 = S3ObjectStore.open(S3.settings(), new StoreLocation.S3(S3.bucket(), "models/tiny"));
        TestModels.upload(FIXTURE, fixtureInS3);
    }

    @AfterAll
    static void closeStore() throws IOException {
        fixtureInS3.close();
    }

    /** Each kind of surgery and all of them together along every route; the README's example locally. */
    static Stream<Arguments> cutsAndRoutes() {
        return Stream.concat(
                Stream.of(STRIP_VISION, STRIP_TALKER, KEEP_EVEN_EXPERTS, DROP_LAYERS, EVERYTHING)
                        .flatMap(cut -> Stream.of(Route.values()).map(route -> Arguments.of(cut, route))),
                Stream.of(Arguments.of(README_EXAMPLE, Route.LOCAL_TO_LOCAL)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cutsAndRoutes")
    void writesEveryKeptTensorByteForByteUnderItsNewName(Cut cut, Route route, @TempDir Path temp) throws Exception {
        String job = "fixture-" + route.name().toLowerCase();
        StoreLocation output = route.toS3
                ? new StoreLocation.S3(S3.bucket(), "out/" + route + "/" + cut.name().replaceAll("[^a-z0-9]+", "-"))
                : new StoreLocation.Local(temp.resolve("pruned"));
        ObjectStore source = route.fromS3 ? fixtureInS3 : new LocalObjectStore(FIXTURE);

        RewriteResult result = TestModels.prune(source, cut, output, S3::settings, job);

        try (ObjectStore written = route.toS3
                ? S3ObjectStore.open(S3.settings(), (StoreLocation.S3) output)
                : new LocalObjectStore(temp.resolve("pruned"))) {
            RewriteVerifier.verify(FIXTURE, written, cut, result);
        }
        if (!route.toS3) {
            assertThat(TestModels.stagingLeftovers(temp.resolve("pruned"))).isEmpty();
        }
    }

    @Test
    void droppingLayers2And4RemapsTheTalkersHiddenState3To2(@TempDir Path temp) throws Exception {
        TestModels.prune(new LocalObjectStore(FIXTURE), DROP_LAYERS, new StoreLocation.Local(temp), TestModels::noS3, "j");

        JsonNode config = JSON.readTree(temp.resolve("config.json").toFile());
        assertThat(config.at("/thinker_config/text_config/num_hidden_layers").asInt()).isEqualTo(4);
        assertThat(config.at("/talker_config/accept_hidden_layer").asInt()).isEqualTo(2);
        assertThat(config.at("/thinker_config/text_config/num_experts").asInt()).isEqualTo(8);
        assertThat(config.at("/enable_audio_output").asBoolean()).isTrue();
    }

    @Test
    void keepingFourExpertsSetsNumExpertsAndSlicesEveryRouterToFourRows(@TempDir Path temp) throws Exception {
        TestModels.prune(new LocalObjectStore(FIXTURE), KEEP_EVEN_EXPERTS, new StoreLocation.Local(temp),
                TestModels::noS3, "j");

        JsonNode config = JSON.readTree(temp.resolve("config.json").toFile());
        assertThat(config.at("/thinker_config/text_config/num_experts").asInt()).isEqualTo(4);
        assertThat(config.at("/thinker_config/text_config/num_experts_per_tok").asInt()).isEqualTo(2);
        // The talker's own experts (128, with a shared expert) are untouched by a thinker expert prune.
        assertThat(config.at("/talker_config/text_config/num_local_experts").asInt()).isEqualTo(128);
        int routers = 0;
        try (LocalObjectStore output = new LocalObjectStore(temp)) {
            for (var file : output.list()) {
                if (!file.key().endsWith(".safetensors")) {
                    continue;
                }
                SafetensorsHeader header = SafetensorsHeaderReader.read(output, file.key());
                for (TensorInfo tensor : header.tensors()) {
                    if (tensor.name().matches("thinker\\.model\\.layers\\.\\d+\\.mlp\\.gate\\.weight")) {
                        assertThat(tensor.shape()).as(tensor.name()).containsExactly(4L, 64L);
                        routers++;
                    }
                    assertThat(tensor.name()).doesNotContainPattern("thinker\\.model\\.layers\\.\\d+\\.mlp\\.experts\\.[4-7]\\.");
                }
            }
        }
        assertThat(routers).isEqualTo(LAYERS);
    }

    @Test
    void strippingTheTalkerDisablesAudioOutputAndKeepsVision(@TempDir Path temp) throws Exception {
        TestModels.prune(new LocalObjectStore(FIXTURE), STRIP_TALKER, new StoreLocation.Local(temp), TestModels::noS3, "j");

        JsonNode config = JSON.readTree(temp.resolve("config.json").toFile());
        JsonNode index = JSON.readTree(temp.resolve("model.safetensors.index.json").toFile()).get("weight_map");
        assertThat(config.at("/enable_audio_output").asBoolean()).isFalse();
        assertThat(config.has("talker_config")).isTrue();
        assertThat(index.fieldNames()).toIterable()
                .noneMatch(name -> name.startsWith("talker.") || name.startsWith("code2wav."))
                .anyMatch(name -> name.startsWith("thinker.visual.merger_list."));
    }

    @Test
    void strippingVisionKeepsTheVisionConfig(@TempDir Path temp) throws Exception {
        TestModels.prune(new LocalObjectStore(FIXTURE), STRIP_VISION, new StoreLocation.Local(temp), TestModels::noS3, "j");

        JsonNode config = JSON.readTree(temp.resolve("config.json").toFile());
        JsonNode index = JSON.readTree(temp.resolve("model.safetensors.index.json").toFile()).get("weight_map");
        assertThat(config.at("/thinker_config/vision_config").isObject()).isTrue();
        assertThat(index.fieldNames()).toIterable().noneMatch(name -> name.startsWith("thinker.visual."));
        assertThat(index.size()).isEqualTo(TestCheckpoints.fixtureNames().stream()
                .filter(name -> !name.startsWith("thinker.visual.")).count());
    }
}
