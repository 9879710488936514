package io.reapomni.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;

/**
 * A ranged read that survives a connection dropped halfway through the range: a read that fails transiently (or a
 * range that the server ends early) is tried again under the {@link S3Retry} policy from the first byte not yet
 * delivered, on a new request. So a reader of a multi-GB range never sees a reset connection, only a pause.
 */
final class RetryingRangeStream extends RangeStream {

    /** Opens a request for {@code length} bytes from {@code offset}; one try, failures as the SDK throws them. */
    @FunctionalInterface
    interface Opener {
        InputStream open(long offset, long length) throws Exception;
    }

    private final S3Retry retry;
    private final String request;
    private final S3Retry.Translation translation;
    private final Opener opener;
    private InputStream current;

    /** @param first the stream of the request that is already open for the whole range */
    RetryingRangeStream(S3Retry retry, String request, S3Retry.Translation translation, Opener opener, long offset,
                        long length, InputStream first) {
        super(offset, length);
        this.retry = retry;
        this.request = request;
        this.translation = translation;
        this.opener = opener;
        this.current = first;
    }

    @Override
    protected int readChunk(byte[] buffer, int start, int wanted, long position) throws IOException {
        return retry.call(request, () -> readOnce(buffer, start, wanted, position), translation);
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            InputStream open = current;
            current = null;
            open.close();
        }
    }

    private int readOnce(byte[] buffer, int start, int wanted, long position) throws Exception {
        if (current == null) {
            current = opener.open(offset() + position, length() - position);
        }
        try {
            int read = current.read(buffer, start, wanted);
            if (read < 0) {
                throw new ProtocolException("the server ended the range " + offset() + "+" + length() + " after "
                        + position + " bytes");
            }
            return read;
        } catch (IOException | RuntimeException e) {
            InputStream broken = current;
            current = null;
            try {
                broken.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
