package io.reapomni.common.safetensors;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds safetensors files byte by byte, independently of the writer under test, and reads them from memory. */
final class RawFiles {
    static final String NAME = "shard.safetensors";

    private RawFiles() {
    }

    /** A file whose header is {@code json} (its UTF-8 length as prefix), followed by {@code dataBytes} bytes. */
    static byte[] file(String json, int dataBytes) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return concat(prefix(header.length), header, new byte[dataBytes]);
    }

    static byte[] prefix(long headerLength) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    static RangeSource rangesOf(byte[] file) {
        return (offset, length) -> new ByteArrayInputStream(file, (int) offset, (int) length);
    }

    static SafetensorsHeader read(byte[] file) throws IOException {
        return SafetensorsHeaderReader.read(NAME, file.length, rangesOf(file));
    }
}
