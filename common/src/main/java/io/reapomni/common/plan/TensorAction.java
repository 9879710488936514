package io.reapomni.common.plan;

import java.util.List;

/** What the rewrite does with one source tensor. */
public sealed interface TensorAction {

    String sourceName();

    /** The tensor is not written; {@code reason} says which part of the plan removed it. */
    record Drop(String sourceName, String reason) implements TensorAction {
    }

    /** The tensor is copied byte for byte under {@code targetName} (which may equal the source name). */
    record Keep(String sourceName, String targetName, List<Long> shape) implements TensorAction {
        public Keep {
            shape = List.copyOf(shape);
        }

        public boolean renamed() {
            return !sourceName.equals(targetName);
        }
    }

    /** A router whose rows are cut to the kept experts, in the order of {@code rows} (old expert ids). */
    record SliceRows(String sourceName, String targetName, List<Integer> rows, List<Long> shape) implements TensorAction {
        public SliceRows {
            rows = List.copyOf(rows);
            shape = List.copyOf(shape);
        }
    }
}
