package io.reapomni.scoring.score;

/**
 * A(e) = S1(e) + λ·ReLU(S3(e) − β·S2(e)): saliency on audio, plus what mixed audio-video data asks of the expert
 * beyond what video alone does, so that experts serving audio inside video count and pure vision experts do not.
 */
public record AudioAffinity(double lambda, double beta) {

    public double of(double s1, double s2, double s3) {
        return s1 + lambda * Math.max(0, s3 - beta * s2);
    }
}
