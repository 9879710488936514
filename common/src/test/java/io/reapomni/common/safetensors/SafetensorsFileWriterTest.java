package io.reapomni.common.safetensors;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsFileWriterTest {
    private static final EncodedHeader HEADER = SafetensorsHeaderWriter.encode(Map.of(), List.of(
            new TensorSpec("a", DType.U8, List.of(3L)),
            new TensorSpec("b", DType.I16, List.of(2L))));

    private final ClosableBytes out = new ClosableBytes();

    @Test
    void writesTheHeaderThenEachTensorsBytes() throws IOException {
        ByteBuffer a = ByteBuffer.wrap(new byte[] {1, 2, 3});
        try (SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, HEADER)) {
            writer.write("a", a);
            writer.write("b", new ByteArrayInputStream(new byte[] {4, 5, 6, 7}));
        }

        assertThat(out.toByteArray()).isEqualTo(RawFiles.concat(HEADER.bytes(), new byte[] {1, 2, 3, 4, 5, 6, 7}));
        assertThat(a.position()).as("the caller's buffer is left as it was").isZero();
        assertThat(out.closed).isTrue();
    }

    @Test
    void refusesATensorOutOfOrder() throws IOException {
        SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, HEADER);

        assertThatThrownBy(() -> writer.write("b", ByteBuffer.allocate(4)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected tensor \"a\" (number 1 of 2) next, got tensor \"b\"");
    }

    @Test
    void refusesATensorAfterTheLast() throws IOException {
        SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, HEADER);
        writer.write("a", ByteBuffer.allocate(3));
        writer.write("b", ByteBuffer.allocate(4));

        assertThatThrownBy(() -> writer.write("a", ByteBuffer.allocate(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 2 tensors are written; tensor \"a\"");
    }

    @Test
    void refusesABufferOfTheWrongLengthAndStaysUsable() throws IOException {
        SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, HEADER);

        assertThatThrownBy(() -> writer.write("a", ByteBuffer.allocate(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor \"a\" needs 3 bytes, the buffer holds 4");
        writer.write("a", ByteBuffer.allocate(3));
        writer.write("b", ByteBuffer.allocate(4));
        writer.close();
        assertThat(out.size()).isEqualTo(HEADER.fileLength());
    }

    @Test
    void refusesAStreamThatEndsEarlyAndThenAnyFurtherWrite() throws IOException {
        SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, HEADER);

        assertThatThrownBy(() -> writer.write("a", new ByteArrayInputStream(new byte[2])))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("tensor \"a\": the stream ended after 2 of 3 bytes");
        assertThatThrownBy(() -> writer.write("a", ByteBuffer.allocate(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("an earlier write failed");
    }

    @Test
    void refusesAStreamLongerThanTheTensor() throws IOException {
        SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, HEADER);

        assertThatThrownBy(() -> writer.write("a", new ByteArrayInputStream(new byte[4])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor \"a\": the stream holds more than 3 bytes");
    }

    @Test
    void closeReportsTheFirstMissingTensorAfterClosingTheDestination() throws IOException {
        SafetensorsFileWriter writer = SafetensorsFileWriter.start(out, HEADER);
        writer.write("a", ByteBuffer.allocate(3));

        assertThatThrownBy(writer::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 of 2 tensors written, missing tensor \"b\"");
        assertThat(out.closed).isTrue();
        assertThatThrownBy(() -> writer.write("b", ByteBuffer.allocate(4)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the writer is closed");
    }

    @Test
    void copiesLargeTensorsThroughAChannelThatTakesFewBytesAtATime() throws IOException {
        int length = 300_000;
        EncodedHeader header = SafetensorsHeaderWriter.encode(Map.of(),
                List.of(new TensorSpec("big", DType.U8, List.of((long) length)),
                        new TensorSpec("next", DType.U8, List.of(1L))));
        byte[] big = new byte[length];
        for (int i = 0; i < length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        TrickleChannel channel = new TrickleChannel();

        try (SafetensorsFileWriter writer = SafetensorsFileWriter.start(channel, header)) {
            writer.write("big", new TrickleInputStream(big));
            writer.write("next", ByteBuffer.wrap(new byte[] {42}));
        }

        assertThat(channel.bytes.toByteArray())
                .isEqualTo(RawFiles.concat(header.bytes(), big, new byte[] {42}));
    }

    /** Records whether the writer closed it. */
    private static final class ClosableBytes extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Accepts at most 1000 bytes per call, as a non-blocking or network channel may. */
    private static final class TrickleChannel implements WritableByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean open = true;

        @Override
        public int write(ByteBuffer source) {
            int count = Math.min(source.remaining(), 1000);
            byte[] chunk = new byte[count];
            source.get(chunk);
            bytes.write(chunk, 0, count);
            return count;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** Returns at most 777 bytes per read, as a network stream may. */
    private static final class TrickleInputStream extends InputStream {
        private final ByteArrayInputStream bytes;

        TrickleInputStream(byte[] content) {
            this.bytes = new ByteArrayInputStream(content);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, Math.min(length, 777));
        }
    }
}
