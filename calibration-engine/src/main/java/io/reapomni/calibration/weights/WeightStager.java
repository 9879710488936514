package io.reapomni.calibration.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.reapomni.common.calibration.ConversionLoss;
import io.reapomni.common.safetensors.TensorInfo;
import io.reapomni.common.storage.Futures;
import io.reapomni.common.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads tensor groups from a checkpoint and decodes them into the compute dtype at storage speed: the tensors of a
 * request are coalesced into a few large spans per shard (a layer's tensors sit together), which are read with every
 * worker thread at once — memory-mapped from a local file, or as parallel ranged reads of a few MiB from S3 — and
 * decoded in parallel pieces straight into pooled host blocks that the device copy reads from. Nothing passes through
 * the Java heap but a few kilobytes per thread.
 */
public final class WeightStager implements AutoCloseable {
    /** Ranges of one shard closer than this are read as one span. */
    private static final long SPAN_GAP = 64L << 10;
    private static final long MAX_SPAN = 1L << 30;
    /** Ranged reads from a remote store are this large, several in flight. */
    private static final long READ_PART = 16L << 20;
    private static final int COPY_BUFFER = 1 << 20;
    /** Decoding and page-touching work is cut into pieces of this many elements (bytes), one per task. */
    private static final int PIECE_ELEMENTS = 1 << 22;
    private static final int PIECE_BYTES = 32 << 20;

    private final CheckpointWeightSource source;
    private final ExecutorService workers;
    private final BlockPool pool = new BlockPool();
    private final Map<Device, SideStreamCopies.Result> copyStreams = new HashMap<>();

    /** @param threads the reads and decodes in flight at once; the machine's processors are a good choice */
    public WeightStager(CheckpointWeightSource source, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("staging needs at least one thread, not " + threads);
        }
        this.source = source;
        this.workers = Executors.newFixedThreadPool(threads, daemonThreads());
    }

    /**
     * A stager for a run that computes while it stages the next layer: one processor fewer than the machine has, so
     * that the thread issuing the device's work keeps one. Decoding beside it still slows that thread (on an H100
     * with 16 processors a layer computed in 0.15 s beside 15 decoding threads, 0.095 s beside 8), but fewer threads
     * stage the next layer later: end to end, 15 threads gave 37,535 tokens/s, 8 gave 34,683 and 4 gave 27,236
     * (README, Performance).
     */
    public static WeightStager besideCompute(CheckpointWeightSource source) {
        return new WeightStager(source, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    public CheckpointWeightSource source() {
        return source;
    }

    /**
     * Reads and decodes {@code groups} into host blocks.
     *
     * @throws WeightNotFoundException when a tensor is not in the checkpoint
     * @throws IOException             when the store fails, or a group's tensors cannot be concatenated or decoded
     */
    public StagedWeights stage(List<TensorGroup> groups) throws IOException {
        List<Slot> slots = new ArrayList<>();
        Map<String, StagedWeights.Placement> placements = new LinkedHashMap<>();
        List<BlockPlan> plans = plan(groups, slots, placements);
        List<StagedWeights.StagedBlock> blocks = new ArrayList<>();
        try {
            for (BlockPlan plan : plans) {
                blocks.add(new StagedWeights.StagedBlock(pool.acquire(plan.type(), plan.used()), plan.used()));
            }
            List<ByteBuffer> targets = blocks.stream().map(block -> block.array().toByteBuffer(true)).toList();
            StageCost cost = readAndDecode(slots, targets);
            return new StagedWeights(pool, this::copyStream, blocks, placements, cost);
        } catch (IOException | RuntimeException e) {
            blocks.forEach(block -> pool.release(block.array()));
            throw e;
        }
    }

    /** A stored tensor and where its decoded elements go: block {@code block}, from element {@code offset} on. */
    private record Slot(TensorBytes stored, DataType type, int block, long offset) {
        long elements() {
            return stored.info().elementCount();
        }
    }

    private record BlockPlan(DataType type, long used) {
    }

    /**
     * Lays the groups out in blocks of their dtype, each group whole in one block, in the order given; fills
     * {@code slots} with every tensor's destination and {@code placements} with every group's.
     */
    private List<BlockPlan> plan(List<TensorGroup> groups, List<Slot> slots,
                                 Map<String, StagedWeights.Placement> placements) throws IOException {
        List<BlockPlan> plans = new ArrayList<>();
        Map<DataType, Integer> openBlock = new LinkedHashMap<>();
        for (TensorGroup group : groups) {
            List<TensorBytes> tensors = new ArrayList<>();
            for (String name : group.names()) {
                tensors.add(source.locate(name));
            }
            Shape shape = concatenatedShape(group, tensors);
            long elements = shape.size();
            long standard = BlockPool.STANDARD_BYTES / group.type().getNumOfBytes();
            Integer current = openBlock.get(group.type());
            if (current == null || plans.get(current).used() + elements > standard) {
                plans.add(new BlockPlan(group.type(), 0));
                current = plans.size() - 1;
                openBlock.put(group.type(), current);
            }
            long offset = plans.get(current).used();
            if (placements.put(group.key(), new StagedWeights.Placement(current, offset, shape)) != null) {
                throw new IllegalArgumentException("two tensor groups share the key " + group.key());
            }
            for (TensorBytes tensor : tensors) {
                if (!WeightDecoder.supports(tensor.info().dtype(), group.type())) {
                    throw new IOException("tensor \"" + tensor.info().name() + "\" is " + tensor.info().dtype()
                            + ", which the engine cannot read as " + group.type());
                }
                slots.add(new Slot(tensor, group.type(), current, offset));
                offset += tensor.info().elementCount();
            }
            plans.set(current, new BlockPlan(group.type(), offset));
        }
        return plans;
    }

    private static Shape concatenatedShape(TensorGroup group, List<TensorBytes> tensors) throws IOException {
        List<Long> first = tensors.get(0).info().shape();
        long rows = 0;
        for (TensorBytes tensor : tensors) {
            List<Long> shape = tensor.info().shape();
            if (shape.isEmpty() || !shape.subList(1, shape.size()).equals(first.subList(1, first.size()))) {
                throw new IOException("tensors " + group.names() + " cannot be stacked: shapes "
                        + tensors.stream().map(t -> t.info().shape()).toList());
            }
            rows += shape.get(0);
        }
        long[] dims = new long[first.size()];
        dims[0] = rows;
        for (int i = 1; i < dims.length; i++) {
            dims[i] = first.get(i);
        }
        return new Shape(dims);
    }

    /** A run of one shard's bytes read as a whole, and the slots whose tensors lie in it. */
    private record Span(String shard, long start, long end, List<Slot> slots) {
        long length() {
            return end - start;
        }
    }

    private StageCost readAndDecode(List<Slot> slots, List<ByteBuffer> targets) throws IOException {
        List<Span> spans = spans(slots);
        long bytes = spans.stream().mapToLong(Span::length).sum();
        long readStart = System.nanoTime();
        List<SpanBytes> read = new ArrayList<>();
        try {
            for (Span span : spans) {
                read.add(open(span));
            }
            runAll(read.stream().flatMap(spanBytes -> spanBytes.loads().stream()).toList());
            double readSeconds = (System.nanoTime() - readStart) / 1e9;

            long decodeStart = System.nanoTime();
            List<Callable<ConversionLoss>> decodes = new ArrayList<>();
            for (SpanBytes spanBytes : read) {
                for (Slot slot : spanBytes.span().slots()) {
                    decodes.addAll(decodeTasks(slot, spanBytes, targets.get(slot.block())));
                }
            }
            ConversionLoss loss = ConversionLoss.NONE;
            for (ConversionLoss piece : runAll(decodes)) {
                loss = loss.plus(piece);
            }
            return new StageCost(bytes, readSeconds, (System.nanoTime() - decodeStart) / 1e9, loss);
        } finally {
            read.forEach(SpanBytes::release);
        }
    }

    private static List<Span> spans(List<Slot> slots) {
        List<Slot> ordered = new ArrayList<>(slots);
        ordered.sort(Comparator.comparing((Slot slot) -> slot.stored().shard())
                .thenComparingLong(slot -> slot.stored().offset()));
        List<Span> spans = new ArrayList<>();
        Span current = null;
        for (Slot slot : ordered) {
            TensorBytes stored = slot.stored();
            long end = stored.offset() + stored.info().byteLength();
            if (current != null && current.shard().equals(stored.shard())
                    && stored.offset() - current.end() <= SPAN_GAP && end - current.start() <= MAX_SPAN) {
                List<Slot> joined = new ArrayList<>(current.slots());
                joined.add(slot);
                current = new Span(current.shard(), current.start(), Math.max(current.end(), end), joined);
                spans.set(spans.size() - 1, current);
            } else {
                current = new Span(stored.shard(), stored.offset(), end, List.of(slot));
                spans.add(current);
            }
        }
        return spans;
    }

    /**
     * A span's bytes: a mapping of the local file, or a pooled host block that ranged reads fill; {@code loads} are
     * the tasks that bring them into memory (touching the mapping's pages, or reading the parts).
     */
    private record SpanBytes(Span span, ByteBuffer bytes, List<Callable<Object>> loads, Runnable releaser) {
        void release() {
            releaser.run();
        }
    }

    private SpanBytes open(Span span) throws IOException {
        ObjectStore store = source.store();
        Optional<Path> file = store.localFile(span.shard());
        int length = Math.toIntExact(span.length());
        if (file.isPresent()) {
            MappedByteBuffer mapped;
            try (FileChannel channel = FileChannel.open(file.get(), StandardOpenOption.READ)) {
                mapped = channel.map(FileChannel.MapMode.READ_ONLY, span.start(), length);
            }
            List<Callable<Object>> touches = new ArrayList<>();
            for (int offset = 0; offset < length; offset += PIECE_BYTES) {
                MappedByteBuffer piece = mapped.slice(offset, Math.min(PIECE_BYTES, length - offset));
                touches.add(() -> piece.load());
            }
            return new SpanBytes(span, mapped, touches, () -> Unmapper.unmap(mapped));
        }
        NDArray raw = pool.acquire(DataType.UINT8, length);
        ByteBuffer bytes = raw.toByteBuffer(true);
        List<Callable<Object>> parts = new ArrayList<>();
        for (long offset = 0; offset < length; offset += READ_PART) {
            long partOffset = offset;
            int partLength = (int) Math.min(READ_PART, length - offset);
            parts.add(() -> {
                readFully(store, span.shard(), span.start() + partOffset, bytes.slice((int) partOffset, partLength));
                return null;
            });
        }
        return new SpanBytes(span, bytes, parts, () -> pool.release(raw));
    }

    private static void readFully(ObjectStore store, String shard, long offset, ByteBuffer target)
            throws IOException {
        int expected = target.remaining();
        byte[] buffer = new byte[Math.min(COPY_BUFFER, expected)];
        try (InputStream in = store.read(shard, offset, expected)) {
            while (target.hasRemaining()) {
                int read = in.read(buffer, 0, Math.min(buffer.length, target.remaining()));
                if (read < 0) {
                    throw new IOException(shard + " in " + store.location() + " ended " + target.remaining()
                            + " bytes before the end of the range [" + offset + ", " + (offset + expected) + ")");
                }
                target.put(buffer, 0, read);
            }
        }
    }

    private static List<Callable<ConversionLoss>> decodeTasks(Slot slot, SpanBytes spanBytes, ByteBuffer target) {
        TensorInfo info = slot.stored().info();
        int storedSize = info.dtype().byteSize();
        int typeSize = slot.type().getNumOfBytes();
        long sourceStart = slot.stored().offset() - spanBytes.span().start();
        long elements = slot.elements();
        List<Callable<ConversionLoss>> tasks = new ArrayList<>();
        for (long done = 0; done < elements; done += PIECE_ELEMENTS) {
            int count = (int) Math.min(PIECE_ELEMENTS, elements - done);
            ByteBuffer from = spanBytes.bytes().slice(Math.toIntExact(sourceStart + done * storedSize),
                    count * storedSize);
            ByteBuffer to = target.slice(Math.toIntExact((slot.offset() + done) * typeSize), count * typeSize);
            tasks.add(() -> WeightDecoder.decode(info.dtype(), from, slot.type(), to, count));
        }
        return tasks;
    }

    /** Runs the tasks on the worker threads and waits for all; the first failure cancels the rest. */
    private <T> List<T> runAll(List<? extends Callable<T>> tasks) throws IOException {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(workers.submit(task));
            }
            List<T> results = new ArrayList<>(futures.size());
            for (Future<T> future : futures) {
                results.add(Futures.get(future, "weights being read"));
            }
            return results;
        } finally {
            futures.forEach(future -> future.cancel(true));
        }
    }

    /** Whether staging memory is pinned for the copies to a GPU, and whether they run on a stream of their own. */
    public synchronized String stagingMemory() {
        StringBuilder state = new StringBuilder(pool.stagingMemory());
        copyStreams.values().forEach(stream -> state.append(stream.copies().isPresent()
                ? "; copied on a CUDA stream of their own"
                : "; copied on PyTorch's default stream, between the layers' work (" + stream.failure() + ")"));
        return state.toString();
    }

    /** {@code device}'s copy stream, opened the first time it is asked for; empty where none can be. */
    private synchronized Optional<SideStreamCopies> copyStream(Device device) {
        return copyStreams.computeIfAbsent(device, SideStreamCopies::open).copies();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "reap-weights-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        workers.shutdownNow();
        synchronized (this) {
            copyStreams.values().forEach(stream -> stream.copies().ifPresent(SideStreamCopies::close));
            copyStreams.clear();
        }
        pool.close();
    }
}
