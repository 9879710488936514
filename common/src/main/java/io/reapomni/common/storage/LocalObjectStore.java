package io.reapomni.common.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Objects as files under a local folder; keys map to relative paths. Writes go to a temporary file beside the target
 * and are moved into place atomically, so a reader sees the old object, the new one, or none, never half of one.
 * <p>
 * No key leads outside the folder, through a symbolic link either, with one exception for reading: a model in the
 * Hugging Face cache layout ({@code models--ORG--NAME/snapshots/REV/} holding links to {@code ../../blobs/SHA}) may
 * read through links into its own repository's {@code blobs} folder, and nowhere else.
 */
public final class LocalObjectStore implements ObjectStore {

    /** Written objects are assembled in {@code .<name>.part-<random hex>}, invisible to {@link #list()}. */
    private static final Pattern TEMP_FILE = Pattern.compile("\\..+\\.part-[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final StoreLocation.Local location;

    /** A store over {@code root}, which need not exist yet: writing the first object creates it. */
    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.location = new StoreLocation.Local(this.root);
    }

    @Override
    public StoreLocation location() {
        return location;
    }

    @Override
    public long size(String key) throws IOException {
        Path file = resolveForReading(key);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchObjectException(location, key);
        }
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchObjectException(location, key);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        return Files.isRegularFile(resolveForReading(key));
    }

    @Override
    public List<ObjectInfo> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !TEMP_FILE.matcher(file.getFileName().toString()).matches())
                    .map(this::info)
                    .sorted((a, b) -> a.key().compareTo(b.key()))
                    .toList();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public Optional<Path> localFile(String key) throws IOException {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchObjectException(location, key);
        }
        return Optional.of(file);
    }

    @Override
    public InputStream read(String key, long offset, long length) throws IOException {
        return new FileRangeInputStream(openRange(key, offset, length), offset, length, key + " in " + location);
    }

    @Override
    public void write(String key, List<Segment> segments, CopyListener listener) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + ".part-" + randomSuffix());
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (Segment segment : segments) {
                    append(segment, out, listener);
                }
                // Durable before visible: after a crash the target is the old object or the complete new one.
                out.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Writes the object under a temporary name and links it to its key, which the filesystem refuses when the key
     * exists: the object appears complete or not at all, and only one of two racing writers creates it.
     */
    @Override
    public boolean writeIfAbsent(String key, byte[] content) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + ".part-" + randomSuffix());
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Deletes the temporary files of writes that never finished: a process killed mid-write leaves them behind,
     * invisible to {@link #list()} but taking space, and carried along when the folder is moved.
     */
    public void deleteAbandonedWrites() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> abandoned;
        try (Stream<Path> files = Files.walk(root)) {
            abandoned = files.filter(Files::isRegularFile)
                    .filter(file -> TEMP_FILE.matcher(file.getFileName().toString()).matches())
                    .toList();
        }
        for (Path file : abandoned) {
            Files.deleteIfExists(file);
        }
    }

    /** Deleting an object that does not exist is not an error: the object is gone either way. */
    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    @Override
    public ObjectStore child(String prefix) throws IOException {
        ObjectKeys.validate(prefix);
        return new LocalObjectStore(resolve(prefix));
    }

    /** Nothing to release: every stream and channel is closed by the call that opened it. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "LocalObjectStore[" + location + "]";
    }

    /** A channel positioned nowhere in particular, after checking the range lies inside the object. */
    FileChannel openRange(String key, long offset, long length) throws IOException {
        Path file = resolveForReading(key);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchObjectException(location, key);
        }
        long size = channel.size();
        if (offset > size || length > size - offset) {
            channel.close();
            throw new EOFException("range " + offset + "+" + length + " exceeds object " + key + " in " + location
                    + " of " + size + " bytes");
        }
        return channel;
    }

    private void append(Segment segment, FileChannel out, CopyListener listener) throws IOException {
        if (segment instanceof Segment.Bytes bytes) {
            ByteBuffer content = ByteBuffer.wrap(bytes.content());
            while (content.hasRemaining()) {
                out.write(content);
            }
            listener.streamed(bytes.length());
            return;
        }
        Segment.Range range = (Segment.Range) segment;
        if (range.store() instanceof LocalObjectStore source) {
            transfer(source, range, out);
            listener.copiedInPlace(range.length());
        } else {
            stream(range, out);
            listener.streamed(range.length());
        }
    }

    private static void transfer(LocalObjectStore source, Segment.Range range, FileChannel out) throws IOException {
        try (FileChannel in = source.openRange(range.key(), range.offset(), range.length())) {
            long position = range.offset();
            long end = range.offset() + range.length();
            while (position < end) {
                long moved = in.transferTo(position, end - position, out);
                if (moved <= 0) {
                    throw new EOFException(range.key() + " in " + source.location + " ended at byte " + position
                            + " while copying up to byte " + end + " (was it truncated?)");
                }
                position += moved;
            }
        }
    }

    private static void stream(Segment.Range range, FileChannel out) throws IOException {
        try (InputStream in = range.store().read(range.key(), range.offset(), range.length())) {
            // InputStream.transferTo copies through a small fixed buffer, whatever the range's size.
            long copied = in.transferTo(Channels.newOutputStream(out));
            if (copied != range.length()) {
                throw new EOFException("got " + copied + " of " + range.length() + " bytes of " + range.key()
                        + " from " + range.store().location());
            }
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot publish " + target + " atomically: " + e.getMessage(), e);
        }
    }

    /** The file a key names for writing or deleting: under the root's real path, whatever links it passes. */
    private Path resolve(String key) throws IOException {
        return resolve(key, Optional.empty());
    }

    /** The file a key names for reading: under the root's real path, or in its Hugging Face repository's blobs. */
    private Path resolveForReading(String key) throws IOException {
        return resolve(key, huggingFaceBlobs());
    }

    /**
     * The file a key names, refused when it would lie outside the root (or {@code alsoAllowed}): keys cannot climb
     * out by themselves ({@link ObjectKeys}), and the real path of the deepest existing part must stay under the
     * root's real path, so a symbolic link inside the root cannot lead out of it.
     */
    private Path resolve(String key, Optional<Path> alsoAllowed) throws IOException {
        Path target = root.resolve(ObjectKeys.validate(key));
        Path realRoot = Files.exists(root) ? root.toRealPath() : root;
        for (Path existing = target; existing != null && existing.startsWith(root); existing = existing.getParent()) {
            if (Files.exists(existing)) {
                Path real = existing.toRealPath();
                if (!real.startsWith(realRoot) && alsoAllowed.filter(real::startsWith).isEmpty()) {
                    throw new IOException("object key " + key + " leads outside " + location
                            + " through a symbolic link (to " + real + ")");
                }
                break;
            }
        }
        return target;
    }

    /**
     * The {@code blobs} folder (real path) of the Hugging Face cache repository whose snapshot this store's root is
     * ({@code REPO/snapshots/REV}, with {@code REPO/blobs} beside the snapshots); empty for any other folder.
     */
    private Optional<Path> huggingFaceBlobs() throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        Path snapshot = root.toRealPath();
        Path snapshots = snapshot.getParent();
        if (snapshots == null || snapshots.getParent() == null || snapshots.getFileName() == null
                || !snapshots.getFileName().toString().equals("snapshots")) {
            return Optional.empty();
        }
        Path blobs = snapshots.getParent().resolve("blobs");
        return Files.isDirectory(blobs, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Optional.of(blobs.toRealPath())
                : Optional.empty();
    }

    private ObjectInfo info(Path file) {
        try {
            return new ObjectInfo(root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"),
                    Files.size(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String randomSuffix() {
        return HexFormat.of().toHexDigits(RANDOM.nextLong());
    }
}
