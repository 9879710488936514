package io.reapomni.common.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads a byte range of a file by position, so that the channel's own position is never shared or moved. */
final class FileRangeInputStream extends RangeStream {

    private final FileChannel channel;
    private final String description;

    FileRangeInputStream(FileChannel channel, long offset, long length, String description) {
        super(offset, length);
        this.channel = channel;
        this.description = description;
    }

    @Override
    protected int readChunk(byte[] buffer, int start, int wanted, long position) throws IOException {
        int read = channel.read(ByteBuffer.wrap(buffer, start, wanted), offset() + position);
        if (read < 0) {
            throw new EOFException(description + " ended " + (length() - position) + " bytes early (was it truncated?)");
        }
        return read;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
