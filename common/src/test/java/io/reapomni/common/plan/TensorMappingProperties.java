package io.reapomni.common.plan;

import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.TestCheckpoints;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.testing.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class TensorMappingProperties {
    private static final Pattern LAYER = Pattern.compile("^thinker\\.model\\.layers\\.(\\d+)\\.");
    private static final Pattern EXPERT = Pattern.compile("\\.mlp\\.experts\\.(\\d+)\\.");

    record Case(int layers, int experts, List<Integer> keptLayers, SortedMap<Integer, List<Integer>> keptExperts) {
    }

    static LongStream seeds() {
        return Seeds.of(300L, 300);
    }

    /** 1 to 6 layers of 1 to 8 experts; a non-empty set of kept layers, each keeping its own k of the experts. */
    static Case randomCase(SplittableRandom random) {
        int layers = 1 + random.nextInt(6);
        int experts = 1 + random.nextInt(8);
        List<Integer> kept = new ArrayList<>();
        while (kept.isEmpty()) {
            for (int layer = 0; layer < layers; layer++) {
                if (random.nextBoolean()) {
                    kept.add(layer);
                }
            }
        }
        int k = 1 + random.nextInt(experts);
        SortedMap<Integer, List<Integer>> perLayer = new TreeMap<>();
        for (int layer : kept) {
            List<Integer> ids = new ArrayList<>(range(experts));
            for (int i = ids.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                ids.set(i, ids.set(j, ids.get(i)));
            }
            perLayer.put(layer, ids.subList(0, k).stream().sorted().toList());
        }
        return new Case(layers, experts, kept, perLayer);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void keepsWhatThePlanKeepsRenumberedAndNothingElseChanges(long seed) throws Exception {
        Case c = randomCase(new SplittableRandom(seed));
        List<String> names = new ArrayList<>(List.of("thinker.model.embed_tokens.weight", "thinker.audio_tower.proj1.weight"));
        names.addAll(TestCheckpoints.stackNames(MoeStack.THINKER, c.layers(), c.experts()));
        List<TensorInfo> tensors = TestCheckpoints.tensors(names, c.experts());
        PruningPlan plan = PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, c.keptLayers()))
                .withExperts(Map.of(MoeStack.THINKER, c.keptExperts()));
        int k = c.keptExperts().values().iterator().next().size();

        TensorMapping mapping = TensorMapping.of(tensors, plan);

        assertThat(mapping.actions()).as("seed %d", seed).extracting(TensorAction::sourceName).containsExactlyElementsOf(names);
        Set<String> targets = new HashSet<>();
        Set<Integer> targetLayers = new HashSet<>();
        for (TensorAction action : mapping.actions()) {
            String source = action.sourceName();
            Matcher sourceLayer = LAYER.matcher(source);
            if (!sourceLayer.find()) {
                assertThat(action).as("seed %d", seed).isEqualTo(new TensorAction.Keep(source, source, List.of(2L, 2L)));
                continue;
            }
            int oldLayer = Integer.parseInt(sourceLayer.group(1));
            Matcher sourceExpert = EXPERT.matcher(source);
            boolean layerKept = c.keptLayers().contains(oldLayer);
            boolean expertKept = !sourceExpert.find()
                    || c.keptExperts().getOrDefault(oldLayer, List.of()).contains(Integer.parseInt(sourceExpert.group(1)));
            assertThat(action instanceof TensorAction.Drop).as("seed %d: %s", seed, source).isEqualTo(!(layerKept && expertKept));
            if (action instanceof TensorAction.Drop) {
                continue;
            }
            String target = action instanceof TensorAction.Keep keep ? keep.targetName()
                    : ((TensorAction.SliceRows) action).targetName();
            assertThat(targets.add(target)).as("seed %d: target %s is unique", seed, target).isTrue();
            Matcher targetLayer = LAYER.matcher(target);
            assertThat(targetLayer.find()).as("seed %d", seed).isTrue();
            int newLayer = Integer.parseInt(targetLayer.group(1));
            assertThat(newLayer).as("seed %d", seed).isEqualTo(c.keptLayers().indexOf(oldLayer));
            targetLayers.add(newLayer);
            Matcher targetExpert = EXPERT.matcher(target);
            if (targetExpert.find()) {
                assertThat(Integer.parseInt(targetExpert.group(1))).as("seed %d", seed).isBetween(0, k - 1);
                assertThat(Integer.parseInt(targetExpert.group(1))).as("seed %d", seed)
                        .isEqualTo(c.keptExperts().get(oldLayer).indexOf(Integer.parseInt(sourceExpert.group(1))));
            }
            if (source.endsWith("mlp.gate.weight")) {
                TensorAction.SliceRows slice = (TensorAction.SliceRows) action;
                assertThat(slice.rows()).as("seed %d", seed).isEqualTo(c.keptExperts().get(oldLayer));
                assertThat(slice.shape()).as("seed %d", seed).containsExactly((long) k, 4L);
            }
        }
        assertThat(targetLayers).as("seed %d", seed).isEqualTo(new HashSet<>(range(c.keptLayers().size())));
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }
}
