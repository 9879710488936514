package io.reapomni.common.safetensors;

import io.reapomni.common.storage.LocalObjectStore;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.RangeStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads and validates a safetensors header by two ranged reads (the length prefix, then the JSON), never touching
 * the tensor data, so that a shard in object storage costs two small requests. The JSON is parsed as it streams in
 * (see {@link HeaderJsonParser} for the limits on what it may hold).
 */
public final class SafetensorsHeaderReader {

    /**
     * reap-omni's limit on a header's length, below the safetensors library's 100 MB: the full Qwen3-Omni's headers
     * take about 140 bytes a tensor (the fixture's 116, with shorter names and offsets), so its largest shard's header
     * is a few hundred KB, and even all its 28,010 tensors in one file would need about 4 MB. 16 MiB leaves room for
     * four times that, and a header of this length is read within a 256 MB heap.
     */
    public static final long MAX_HEADER_LENGTH = 16L << 20;

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
        HeaderEntries entries;
        try (InputStream json = new ExactLengthStream(fileName, source.open(LENGTH_PREFIX_BYTES, headerLength),
                LENGTH_PREFIX_BYTES, headerLength)) {
            entries = HeaderJsonParser.parse(fileName, json);
        }
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
                    + " exceeds the limit of " + MAX_HEADER_LENGTH + " bytes (a real Qwen3-Omni shard's header is a"
                    + " few hundred KB)");
        }
        if (headerLength > fileLength - LENGTH_PREFIX_BYTES) {
            throw SafetensorsFormatException.inFile(fileName, "header length " + headerLength
                    + " larger than the file (" + fileLength + " bytes)");
        }
    }

    /**
     * The header's bytes as the source gives them, refusing a source that ends before the stated length (a truncated
     * file, or a store that returned fewer bytes) with the file's name, rather than as a JSON syntax error.
     */
    private static final class ExactLengthStream extends RangeStream {
        private final String fileName;
        private final InputStream in;

        ExactLengthStream(String fileName, InputStream in, long offset, long length) {
            super(offset, length);
            this.fileName = fileName;
            this.in = in;
        }

        @Override
        protected int readChunk(byte[] buffer, int start, int wanted, long position) throws IOException {
            int read = in.read(buffer, start, wanted);
            if (read < 0) {
                throw SafetensorsFormatException.inFile(fileName, "file ended after " + position + " of the "
                        + length() + " bytes at offset " + offset() + ", before its stated length");
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            in.close();
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
