package io.reapomni.calibration.tool;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes collected in the pieces they arrived in and joined once at the end: a program's output of hundreds of MB
 * (decoded frames) then costs its size once more while it is joined, not the repeated doubling of a growing array.
 * Written by one thread, read by another once that one has finished.
 */
final class ChunkedBytes {

    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    synchronized void write(byte[] bytes, int offset, int length) {
        if (length > 0) {
            byte[] chunk = new byte[length];
            System.arraycopy(bytes, offset, chunk, 0, length);
            chunks.add(chunk);
            size += length;
        }
    }

    synchronized byte[] toByteArray() {
        byte[] all = new byte[Math.toIntExact(size)];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        chunks.clear();
        return all;
    }
}
