package io.reapomni.common.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads a byte range of a file by position, so that the channel's own position is never shared or moved. */
final class FileRangeInputStream extends InputStream {

    private final FileChannel channel;
    private final String description;
    private long position;
    private long remaining;

    FileRangeInputStream(FileChannel channel, long offset, long length, String description) {
        this.channel = channel;
        this.position = offset;
        this.remaining = length;
        this.description = description;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int wanted = (int) Math.min(length, remaining);
        int read = channel.read(ByteBuffer.wrap(buffer, offset, wanted), position);
        if (read < 0) {
            throw new EOFException(description + " ended " + remaining + " bytes early (was it truncated?)");
        }
        position += read;
        remaining -= read;
        return read;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
