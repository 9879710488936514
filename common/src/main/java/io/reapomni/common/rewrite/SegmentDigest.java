package io.reapomni.common.rewrite;

import io.reapomni.common.storage.Segment;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The SHA-256 of an object assembled from segments, computed from the segments' sources with a bounded buffer. The
 * bytes written are exactly these segments, so the digest is the written file's, without reading the output back
 * (which, for an output copied server side, would pull every byte through this process a second time).
 */
final class SegmentDigest {
    private static final int BUFFER_BYTES = 1 << 20;

    private SegmentDigest() {
    }

    static String sha256(List<Segment> segments) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[BUFFER_BYTES];
        for (Segment segment : segments) {
            if (segment instanceof Segment.Bytes bytes) {
                digest.update(bytes.content());
            } else if (segment instanceof Segment.Range range) {
                try (InputStream in = range.store().read(range.key(), range.offset(), range.length())) {
                    int count;
                    while ((count = in.read(buffer)) > 0) {
                        digest.update(buffer, 0, count);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
