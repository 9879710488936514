package io.reapomni.common.rewrite;

import io.reapomni.common.plan.Strip;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.testing.Seeds;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random small Qwen3-Omni-shaped checkpoints (layers, experts, top-k, components, shard sizes) cut by random plans
 * (strips, dropped layers, kept experts the same in every layer or different per layer): every rewrite keeps the
 * invariants that {@link RewriteVerifier} checks. Each case names its seed; {@code -Dreap.test.seed=N} replays one.
 */
class RewriteProperties {

    static LongStream seeds() {
        return Seeds.of(20261129L, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRandomCutOfARandomModelKeepsTheRewriteInvariants(long seed, @TempDir Path temp) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        SyntheticModelSpec spec = randomModel(random);
        Cut cut = randomCut(random, spec, seed);
        Path source = temp.resolve("model");
        SyntheticCheckpoint.write(source, spec);
        Path output = temp.resolve("pruned");

        RewriteResult result = TestModels.prune(new LocalObjectStore(source), cut, new StoreLocation.Local(output),
                TestModels::noS3, "seed-" + seed);

        RewriteVerifier.Totals totals = RewriteVerifier.verify(source, new LocalObjectStore(output), cut, result);
        assertThat(totals.parametersAfter()).as("%s: parameters never grow", cut).isLessThanOrEqualTo(totals.parametersBefore());
        assertThat(TestModels.stagingLeftovers(output)).as("%s: staging folders", cut).isEmpty();
    }

    private static SyntheticModelSpec randomModel(SplittableRandom random) {
        int experts = 1 + random.nextInt(8);
        return new SyntheticModelSpec(
                8 * (1 + random.nextInt(3)),   // hidden
                1 + random.nextInt(6),         // layers
                experts,
                1 + random.nextInt(experts),   // top-k
                4 * (1 + random.nextInt(3)),   // moe intermediate
                2, 1, 8,                       // heads, kv heads, head dim
                32 + random.nextInt(64),       // vocabulary
                random.nextInt(3), 8,          // audio layers, width
                random.nextInt(3), 8,          // vision depth, width
                random.nextInt(3), 1 + random.nextInt(4), 8, // talker layers, experts, hidden
                1024L << random.nextInt(7));   // shard size: from one tensor a shard to one shard in all
    }

    private static Cut randomCut(SplittableRandom random, SyntheticModelSpec spec, long seed) {
        Set<Strip> strip = EnumSet.noneOf(Strip.class);
        if (random.nextBoolean()) {
            strip.add(Strip.VISION);
        }
        if (random.nextBoolean()) {
            strip.add(Strip.TALKER);
        }
        List<Integer> dropped = new ArrayList<>();
        for (int layer = 0; layer < spec.layers(); layer++) {
            if (random.nextInt(10) < 3) {
                dropped.add(layer);
            }
        }
        if (dropped.size() == spec.layers()) {
            dropped.remove(random.nextInt(dropped.size()));
        }
        SortedMap<Integer, List<Integer>> kept = new TreeMap<>();
        if (random.nextInt(10) < 7) {
            int count = spec.expertsPerToken() + random.nextInt(spec.experts() - spec.expertsPerToken() + 1);
            boolean sameInEveryLayer = random.nextBoolean();
            List<Integer> shared = randomSubset(random, spec.experts(), count);
            for (int layer = 0; layer < spec.layers(); layer++) {
                if (!dropped.contains(layer)) {
                    kept.put(layer, sameInEveryLayer ? shared : randomSubset(random, spec.experts(), count));
                }
            }
        }
        String name = String.format("seed %d: %d layers × %d experts (top-%d), shards of ≤ %d bytes; strip %s, drop %s, keep %s",
                seed, spec.layers(), spec.experts(), spec.expertsPerToken(), spec.maxShardBytes(), strip, dropped, kept);
        return new Cut(name, strip, dropped, kept);
    }

    /** {@code count} distinct ids of 0..n-1, ascending. */
    private static List<Integer> randomSubset(SplittableRandom random, int n, int count) {
        List<Integer> ids = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            ids.set(i, ids.set(j, ids.get(i)));
        }
        return ids.subList(0, count).stream().sorted().toList();
    }
}
