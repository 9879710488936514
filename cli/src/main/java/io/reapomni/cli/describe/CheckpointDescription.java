package io.reapomni.cli.describe;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.Component;
import io.reapomni.common.checkpoint.ComponentSize;
import io.reapomni.common.checkpoint.LayerInventory;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;
import io.reapomni.common.checkpoint.StackInventory;
import io.reapomni.common.format.Units;
import io.reapomni.common.safetensors.DType;
import io.reapomni.common.safetensors.TensorInfo;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What {@code inspect} prints about a checkpoint: components, decoder stacks, shards. */
public final class CheckpointDescription {
    private CheckpointDescription() {
    }

    public static void print(PrintWriter out, String location, Checkpoint checkpoint) throws CheckpointException {
        ModelConfig config = checkpoint.config();
        ComponentSize total = checkpoint.inventory().total();
        Set<DType> dtypes = checkpoint.tensorInfos().stream().map(TensorInfo::dtype)
                .collect(Collectors.toCollection(TreeSet::new));
        out.printf("Model   %s%n", location);
        out.printf("        %d shards, %d tensors, %s parameters, %s (%s)%n", checkpoint.shards().size(),
                checkpoint.tensorInfos().size(), Units.count(total.parameters()), Units.bytes(total.bytes()),
                dtypes.stream().map(Enum::name).map(String::toLowerCase).collect(Collectors.joining(", ")));
        out.printf("Config  %s, %s; audio output %s%n", ModelConfig.MODEL_TYPE, configStyle(config),
                config.enableAudioOutput() ? "enabled" : "disabled");
        if (!checkpoint.otherFiles().isEmpty()) {
            out.printf("Files   %s%n", String.join(", ", checkpoint.otherFiles()));
        }

        out.printf("%nComponents       %14s %12s%n", "parameters", "size");
        for (Map.Entry<Component, ComponentSize> entry : checkpoint.inventory().components().entrySet()) {
            out.printf("  %-14s %14s %12s%n", entry.getKey().id(), Units.count(entry.getValue().parameters()),
                    Units.bytes(entry.getValue().bytes()));
        }
        out.printf("  %-14s %14s %12s%n", "total", Units.count(total.parameters()), Units.bytes(total.bytes()));

        out.printf("%nDecoder stacks%n");
        for (Map.Entry<MoeStack, StackInventory> entry : checkpoint.inventory().stacks().entrySet()) {
            out.println("  " + stackLine(config.stack(entry.getKey()), entry.getValue(), config));
        }

        out.printf("%nShards%n");
        Map<String, Integer> tensors = checkpoint.tensorsPerShard();
        checkpoint.shards().forEach(shard -> out.printf("  %-36s %6d tensors %12s%n", shard.key(),
                tensors.getOrDefault(shard.key(), 0), Units.bytes(shard.size())));
    }

    private static String stackLine(StackConfig stack, StackInventory inventory, ModelConfig config) {
        int layers = inventory.layers().size();
        long moeLayers = inventory.layers().values().stream().filter(layer -> !layer.experts().isEmpty()).count();
        TreeSet<Integer> expertCounts = inventory.layers().values().stream().map(LayerInventory::experts)
                .filter(experts -> !experts.isEmpty()).map(java.util.SortedSet::size)
                .collect(Collectors.toCollection(TreeSet::new));
        StringBuilder line = new StringBuilder(String.format("%-8s %d layers, hidden %d, %d/%d heads of %d",
                stack.stack().id(), layers, stack.hiddenSize(), stack.numAttentionHeads(), stack.numKeyValueHeads(),
                stack.headDim()));
        if (moeLayers > 0) {
            line.append(String.format("; %d MoE layers of %s experts (top-%d%s)%s", moeLayers,
                    expertCounts.stream().map(String::valueOf).collect(Collectors.joining("/")),
                    stack.numExpertsPerTok(), stack.normTopkProb() ? ", renormalised" : "",
                    stack.sharedExpert() ? " + shared expert" : ""));
        }
        if (layers - moeLayers > 0) {
            line.append(String.format("; %d dense layers", layers - moeLayers));
        }
        if (stack.stack() == MoeStack.TALKER) {
            line.append("; reads thinker hidden state ").append(config.talkerAcceptHiddenLayer());
        }
        return line.toString();
    }

    private static String configStyle(ModelConfig config) {
        return config.at("/thinker_config/text_config/rope_parameters").isMissingNode()
                ? "hub config style (rope_theta, rope_scaling)" : "transformers-5 config style (rope_parameters)";
    }
}
