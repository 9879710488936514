package io.reapomni.common.safetensors;

import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads and validates a safetensors header by two ranged reads (the length prefix, then the JSON), never touching
 * the tensor data, so that a shard in object storage costs two small requests.
 */
public final class SafetensorsHeaderReader {

    /** The safetensors library's limit; checked before the header buffer is allocated. */
    public static final long MAX_HEADER_LENGTH = 100_000_000L;

    static final int LENGTH_PREFIX_BYTES = Long.BYTES;

    private SafetensorsHeaderReader() {
    }

    public static SafetensorsHeader read(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        return read(new LocalObjectStore(absolute.getParent()), absolute.getFileName().toString());
    }

    public static SafetensorsHeader read(ObjectStore store, String key) throws IOException {
        return read(store.location() + "/" + key, store.size(key),
                (offset, length) -> store.read(key, offset, length));
    }

    /**
     * @param fileName   names the file in error messages
     * @param fileLength the whole file's length, against which the header's lengths and offsets are checked
     */
    public static SafetensorsHeader read(String fileName, long fileLength, RangeSource source) throws IOException {
        if (fileLength < LENGTH_PREFIX_BYTES) {
            throw SafetensorsFormatException.inFile(fileName, "file is " + fileLength
                    + " bytes long, shorter than the 8-byte header length");
        }
        long headerLength = ByteBuffer.wrap(readRange(fileName, source, 0, LENGTH_PREFIX_BYTES))
                .order(ByteOrder.LITTLE_ENDIAN)
                .getLong();
        checkHeaderLength(fileName, fileLength, headerLength);
        byte[] json = readRange(fileName, source, LENGTH_PREFIX_BYTES, (int) headerLength);
        HeaderEntries entries = HeaderJsonParser.parse(fileName, json);
        long dataLength = fileLength - LENGTH_PREFIX_BYTES - headerLength;
        return new SafetensorsHeader(headerLength, entries.metadata(),
                DataSectionLayout.inDataOrder(fileName, entries.tensors(), dataLength));
    }

    private static void checkHeaderLength(String fileName, long fileLength, long headerLength)
            throws SafetensorsFormatException {
        if (headerLength == 0) {
            throw SafetensorsFormatException.inFile(fileName, "header length is 0");
        }
        // The prefix is an unsigned 64-bit number: compare unsigned so that a huge value is not seen as negative.
        if (Long.compareUnsigned(headerLength, MAX_HEADER_LENGTH) > 0) {
            throw SafetensorsFormatException.inFile(fileName, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_LENGTH + " bytes");
        }
        if (headerLength > fileLength - LENGTH_PREFIX_BYTES) {
            throw SafetensorsFormatException.inFile(fileName, "header length " + headerLength
                    + " larger than the file (" + fileLength + " bytes)");
        }
    }

    private static byte[] readRange(String fileName, RangeSource source, long offset, int length) throws IOException {
        byte[] bytes;
        try (InputStream in = source.open(offset, length)) {
            bytes = in.readNBytes(length);
        }
        if (bytes.length != length) {
            throw SafetensorsFormatException.inFile(fileName, "file ended after " + bytes.length + " of the "
                    + length + " bytes at offset " + offset + ", before its stated length");
        }
        return bytes;
    }
}
