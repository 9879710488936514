package io.reapomni.common.rewrite;

/**
 * How a rewrite moved its bytes.
 *
 * @param bytesWritten       bytes of all files written
 * @param bytesStreamed      bytes that passed through this process on their way to the output
 * @param bytesCopiedInPlace bytes copied without passing through this process (kernel-side or server-side)
 * @param bytesHashed        source bytes read to compute the manifest's digests
 * @param bytesKept          bytes of files that an interrupted run of the same job had already written: read back,
 *                           found equal in size and SHA-256 to what the plan writes, and kept rather than rewritten
 */
public record TransferStats(long bytesWritten, long bytesStreamed, long bytesCopiedInPlace, long bytesHashed,
                            long bytesKept, double seconds) {
    /** A rewrite that moved nothing: its output was already published. */
    public static final TransferStats NONE = new TransferStats(0, 0, 0, 0, 0, 0);
}
