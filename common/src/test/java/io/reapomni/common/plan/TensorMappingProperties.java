package io.reapomni.common.plan;

import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.TestCheckpoints;
import io.reapomni.common.safetensors.TensorInfo;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TensorMappingProperties {
    private static final Pattern LAYER = Pattern.compile("^thinker\\.model\\.layers\\.(\\d+)\\.");
    private static final Pattern EXPERT = Pattern.compile("\\.mlp\\.experts\\.(\\d+)\\.");

    record Case(int layers, int experts, List<Integer> keptLayers, SortedMap<Integer, List<Integer>> keptExperts) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 8))
                .flatAs((layers, experts) -> Combinators.combine(
                        Arbitraries.subsetOf(range(layers)).ofMinSize(1),
                        Arbitraries.integers().between(1, experts),
                        Arbitraries.randoms())
                        .as((keptLayerSet, k, random) -> {
                            List<Integer> kept = keptLayerSet.stream().sorted().toList();
                            SortedMap<Integer, List<Integer>> perLayer = new TreeMap<>();
                            for (int layer : kept) {
                                List<Integer> ids = new ArrayList<>(range(experts));
                                java.util.Collections.shuffle(ids, random);
                                perLayer.put(layer, ids.subList(0, k).stream().sorted().toList());
                            }
                            return new Case(layers, experts, kept, perLayer);
                        }));
    }

    @Property(tries = 300)
    void keepsWhatThePlanKeepsRenumberedAndNothingElseChanges(@ForAll("cases") Case c) throws Exception {
        List<String> names = new ArrayList<>(List.of("thinker.model.embed_tokens.weight", "thinker.audio_tower.proj1.weight"));
        names.addAll(TestCheckpoints.stackNames(MoeStack.THINKER, c.layers(), c.experts()));
        List<TensorInfo> tensors = TestCheckpoints.tensors(names, c.experts());
        PruningPlan plan = PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, c.keptLayers()))
                .withExperts(Map.of(MoeStack.THINKER, c.keptExperts()));
        int k = c.keptExperts().values().iterator().next().size();

        TensorMapping mapping = TensorMapping.of(tensors, plan);

        assertThat(mapping.actions()).extracting(TensorAction::sourceName).containsExactlyElementsOf(names);
        Set<String> targets = new HashSet<>();
        Set<Integer> targetLayers = new HashSet<>();
        for (TensorAction action : mapping.actions()) {
            String source = action.sourceName();
            Matcher sourceLayer = LAYER.matcher(source);
            if (!sourceLayer.find()) {
                assertThat(action).isEqualTo(new TensorAction.Keep(source, source, List.of(2L, 2L)));
                continue;
            }
            int oldLayer = Integer.parseInt(sourceLayer.group(1));
            Matcher sourceExpert = EXPERT.matcher(source);
            boolean layerKept = c.keptLayers().contains(oldLayer);
            boolean expertKept = !sourceExpert.find()
                    || c.keptExperts().getOrDefault(oldLayer, List.of()).contains(Integer.parseInt(sourceExpert.group(1)));
            assertThat(action instanceof TensorAction.Drop).as(source).isEqualTo(!(layerKept && expertKept));
            if (action instanceof TensorAction.Drop) {
                continue;
            }
            String target = action instanceof TensorAction.Keep keep ? keep.targetName()
                    : ((TensorAction.SliceRows) action).targetName();
            assertThat(targets.add(target)).as("target %s is unique", target).isTrue();
            Matcher targetLayer = LAYER.matcher(target);
            assertThat(targetLayer.find()).isTrue();
            int newLayer = Integer.parseInt(targetLayer.group(1));
            assertThat(newLayer).isEqualTo(c.keptLayers().indexOf(oldLayer));
            targetLayers.add(newLayer);
            Matcher targetExpert = EXPERT.matcher(target);
            if (targetExpert.find()) {
                assertThat(Integer.parseInt(targetExpert.group(1))).isBetween(0, k - 1);
                assertThat(Integer.parseInt(targetExpert.group(1)))
                        .isEqualTo(c.keptExperts().get(oldLayer).indexOf(Integer.parseInt(sourceExpert.group(1))));
            }
            if (source.endsWith("mlp.gate.weight")) {
                TensorAction.SliceRows slice = (TensorAction.SliceRows) action;
                assertThat(slice.rows()).isEqualTo(c.keptExperts().get(oldLayer));
                assertThat(slice.shape()).containsExactly((long) k, 4L);
            }
        }
        assertThat(targetLayers).isEqualTo(new HashSet<>(range(c.keptLayers().size())));
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }
}
