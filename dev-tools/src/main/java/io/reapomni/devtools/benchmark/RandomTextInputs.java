package io.reapomni.devtools.benchmark;

import io.reapomni.calibration.model.ThinkerInput;
import io.reapomni.common.job.Modality;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Text samples of random token ids, for throughput measurements on checkpoints without a tokenizer. Ids are drawn
 * below {@code firstSpecialId}, so that no sample asks for media it does not carry.
 */
public final class RandomTextInputs {
    private RandomTextInputs() {
    }

    public static List<ThinkerInput> of(int samples, int tokensPerSample, int firstSpecialId, long seed) {
        if (samples < 1 || tokensPerSample < 1 || firstSpecialId < 1) {
            throw new IllegalArgumentException("need at least one sample of one token below a positive id, not "
                    + samples + " × " + tokensPerSample + " below " + firstSpecialId);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<ThinkerInput> inputs = new ArrayList<>(samples);
        for (int sample = 0; sample < samples; sample++) {
            inputs.add(new ThinkerInput("random-" + sample, Modality.AUDIO,
                    random.ints(tokensPerSample, 0, firstSpecialId).toArray(), Optional.empty(),
                    Optional.empty()));
        }
        return inputs;
    }
}
