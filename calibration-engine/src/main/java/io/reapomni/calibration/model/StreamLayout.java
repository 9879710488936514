package io.reapomni.calibration.model;

import io.reapomni.common.job.Modality;

import java.util.ArrayList;
import java.util.List;

/**
 * How samples lie in one residual stream: their tokens one after another, in order. Attention stays within a
 * sample; everything else runs over the whole stream at once. Consecutive samples of one data set form a
 * {@link Segment}, over which statistics are summed.
 */
public record StreamLayout(List<SampleSpan> samples) {
    public StreamLayout {
        samples = List.copyOf(samples);
        int next = 0;
        for (SampleSpan sample : samples) {
            if (sample.start() != next) {
                throw new IllegalArgumentException("sample " + sample.id() + " starts at " + sample.start()
                        + ", not where the one before it ends (" + next + ")");
            }
            next = sample.end();
        }
    }

    /** One sample's tokens: positions {@code [start, start + length)} of the stream. */
    public record SampleSpan(String id, Modality modality, int start, int length) {
        public SampleSpan {
            if (start < 0 || length < 1) {
                throw new IllegalArgumentException("sample " + id + " spans " + length + " tokens from " + start);
            }
        }

        public int end() {
            return start + length;
        }
    }

    /** A run of consecutive samples of one data set: positions {@code [start, end)}. */
    public record Segment(Modality modality, int start, int end) {
        public int tokens() {
            return end - start;
        }
    }

    /** Samples of these lengths laid end to end. */
    public static StreamLayout of(List<String> ids, List<Modality> modalities, int[] lengths) {
        List<SampleSpan> spans = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < lengths.length; i++) {
            spans.add(new SampleSpan(ids.get(i), modalities.get(i), start, lengths[i]));
            start += lengths[i];
        }
        return new StreamLayout(spans);
    }

    /** One sample of {@code length} tokens, alone in its stream. */
    public static StreamLayout single(String id, Modality modality, int length) {
        return new StreamLayout(List.of(new SampleSpan(id, modality, 0, length)));
    }

    public int tokens() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).end();
    }

    /** The maximal runs of consecutive samples that share a data set, in stream order. */
    public List<Segment> segments() {
        List<Segment> segments = new ArrayList<>();
        for (SampleSpan sample : samples) {
            Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            if (last != null && last.modality() == sample.modality()) {
                segments.set(segments.size() - 1, new Segment(last.modality(), last.start(), sample.end()));
            } else {
                segments.add(new Segment(sample.modality(), sample.start(), sample.end()));
            }
        }
        return List.copyOf(segments);
    }
}
