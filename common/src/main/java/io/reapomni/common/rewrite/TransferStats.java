package io.reapomni.common.rewrite;

/**
 * How a rewrite moved its bytes.
 *
 * @param bytesWritten       bytes of all files written
 * @param bytesStreamed      bytes that passed through this process on their way to the output
 * @param bytesCopiedInPlace bytes copied without passing through this process (kernel-side or server-side)
 * @param bytesHashed        source bytes read to compute the manifest's digests
 */
public record TransferStats(long bytesWritten, long bytesStreamed, long bytesCopiedInPlace, long bytesHashed,
                            double seconds) {
}
