package io.reapomni.common.safetensors;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * Streams a safetensors file: the encoded header first, then each tensor's bytes in the header's order. It checks
 * the order and every tensor's exact length, so that a file it completes is one that the reader accepts, and it
 * holds at most one copy buffer, whatever the tensors' sizes.
 *
 * <p>The writer owns the destination and closes it. Once a write has failed after bytes went out, the file is
 * broken and further writes are refused.
 */
public final class SafetensorsFileWriter implements Closeable {
    private static final int COPY_BUFFER_BYTES = 1 << 16;

    private final WritableByteChannel out;
    private final List<TensorInfo> tensors;
    private byte[] copyBuffer;
    private int written;
    private boolean broken;
    private boolean closed;

    private SafetensorsFileWriter(WritableByteChannel out, List<TensorInfo> tensors) {
        this.out = out;
        this.tensors = tensors;
    }

    public static SafetensorsFileWriter start(OutputStream out, EncodedHeader header) throws IOException {
        return start(Channels.newChannel(out), header);
    }

    /** Writes the header at once; on failure the destination is closed. */
    public static SafetensorsFileWriter start(WritableByteChannel out, EncodedHeader header) throws IOException {
        SafetensorsFileWriter writer = new SafetensorsFileWriter(out, header.tensors());
        try {
            writer.writeFully(ByteBuffer.wrap(header.bytes()));
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return writer;
    }

    /**
     * Writes the buffer's remaining bytes, leaving its position unchanged.
     *
     * @throws IllegalStateException    when {@code name} is not the next tensor of the header
     * @throws IllegalArgumentException when the buffer does not hold exactly the tensor's byte length
     */
    public void write(String name, ByteBuffer data) throws IOException {
        TensorInfo tensor = expectNext(name);
        if (data.remaining() != tensor.byteLength()) {
            throw new IllegalArgumentException(label(tensor) + " needs " + tensor.byteLength()
                    + " bytes, the buffer holds " + data.remaining());
        }
        broken = true;
        writeFully(data.duplicate());
        finish();
    }

    /**
     * Copies exactly the tensor's byte length from the stream, which must then be at its end; the caller closes it.
     *
     * @throws IllegalStateException    when {@code name} is not the next tensor of the header
     * @throws EOFException             when the stream ends before the tensor's last byte
     * @throws IllegalArgumentException when the stream holds more bytes than the tensor
     */
    public void write(String name, InputStream data) throws IOException {
        TensorInfo tensor = expectNext(name);
        broken = true;
        byte[] buffer = copyBuffer();
        long remaining = tensor.byteLength();
        while (remaining > 0) {
            int read = data.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new EOFException(label(tensor) + ": the stream ended after "
                        + (tensor.byteLength() - remaining) + " of " + tensor.byteLength() + " bytes");
            }
            writeFully(ByteBuffer.wrap(buffer, 0, read));
            remaining -= read;
        }
        if (data.read() >= 0) {
            throw new IllegalArgumentException(label(tensor) + ": the stream holds more than "
                    + tensor.byteLength() + " bytes");
        }
        finish();
    }

    /**
     * Closes the destination.
     *
     * @throws IllegalStateException when not every tensor of the header was written: the file is incomplete
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.close();
        if (written < tensors.size()) {
            throw new IllegalStateException("incomplete safetensors file: " + written + " of " + tensors.size()
                    + " tensors written, missing " + label(tensors.get(written)) + " and any after it");
        }
    }

    private TensorInfo expectNext(String name) {
        if (closed) {
            throw new IllegalStateException("the writer is closed; cannot write tensor \"" + name + "\"");
        }
        if (broken) {
            throw new IllegalStateException("an earlier write failed; cannot write tensor \"" + name + "\"");
        }
        if (written == tensors.size()) {
            throw new IllegalStateException("all " + tensors.size() + " tensors are written; tensor \"" + name
                    + "\" is not in the header or was written already");
        }
        TensorInfo next = tensors.get(written);
        if (!next.name().equals(name)) {
            throw new IllegalStateException("expected " + label(next) + " (number " + (written + 1) + " of "
                    + tensors.size() + ") next, got tensor \"" + name + "\"");
        }
        return next;
    }

    private void finish() {
        broken = false;
        written++;
    }

    // Allocated on first use: a file written only from ByteBuffers needs no copy buffer.
    private byte[] copyBuffer() {
        if (copyBuffer == null) {
            copyBuffer = new byte[COPY_BUFFER_BYTES];
        }
        return copyBuffer;
    }

    private void writeFully(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            out.write(data);
        }
    }

    private static String label(TensorInfo tensor) {
        return "tensor \"" + tensor.name() + "\"";
    }
}
