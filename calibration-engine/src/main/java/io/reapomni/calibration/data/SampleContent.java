package io.reapomni.calibration.data;

/** What a JSONL line gives to be tokenised: plain text, or token ids that it has already tokenised. */
public sealed interface SampleContent {
    record Text(String text) implements SampleContent {
    }

    record TokenIds(int[] ids) implements SampleContent {
        public TokenIds {
            ids = ids.clone();
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }
    }
}
