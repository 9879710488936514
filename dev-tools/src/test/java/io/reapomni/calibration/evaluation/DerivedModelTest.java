package io.reapomni.calibration.evaluation;

import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import io.reapomni.testfixtures.TinyQwen3Omni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A model that pruning could not have made from the original is refused before anything runs, with the reason. */
class DerivedModelTest {
    @TempDir
    Path folder;

    @Test
    void anUnrelatedModelIsRefusedNamingWhatDiffers() throws Exception {
        Path other = folder.resolve("other");
        SyntheticCheckpoint.write(other, SyntheticModelSpec.small());
        try (LocalObjectStore original = new LocalObjectStore(TinyQwen3Omni.model());
             LocalObjectStore unrelated = new LocalObjectStore(other)) {
            assertThatThrownBy(() -> Evaluation.open(original, unrelated))
                    .isInstanceOf(ModelMismatchException.class)
                    .hasMessageContaining("not derived from the original")
                    .hasMessageContaining("vocabulary size (vocab_size) is 512, the original's 1024")
                    .hasMessageContaining("more decoder layers (8)")
                    .hasMessageContaining("its tokenizer.json differs from the original's");
        }
    }

    @Test
    void anotherTokenizerIsRefused() throws Exception {
        Path copy = TestModels.copy(TinyQwen3Omni.model(), folder.resolve("copy"));
        String tokenizer = Files.readString(TinyQwen3Omni.model().resolve("tokenizer.json"))
                .replace("\"<|im_end|>\"", "\"<|end|>\"");
        Files.writeString(copy.resolve("tokenizer.json"), tokenizer);
        try (LocalObjectStore original = new LocalObjectStore(TinyQwen3Omni.model());
             LocalObjectStore retokenized = new LocalObjectStore(copy)) {
            assertThatThrownBy(() -> Evaluation.open(original, retokenized))
                    .isInstanceOf(ModelMismatchException.class)
                    .hasMessage("the pruned model is not derived from the original: its tokenizer.json differs from"
                            + " the original's");
        }
    }
}
