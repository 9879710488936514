package io.reapomni.calibration.torch;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch operations that DJL does not expose, written in TorchScript ({@code kernels.torchscript} beside this class)
 * and compiled by the PyTorch runtime DJL loaded, once per process. The TorchScript archive is assembled here, in
 * memory, from that source: a module without tensors, so it serves every device, and nothing is generated on another
 * machine. The engine's packages call its methods through wrappers that speak their own types.
 */
public final class TorchScriptKernels {
    private static final String SOURCE = "kernels.torchscript";
    private static final String ARCHIVE = "kernels";
    private static final String DJL_SEPARATE_STREAM = "ai.djl.pytorch.enable_cuda_stream";
    private static TorchScriptKernels instance;

    private final PtSymbolBlock module;

    private TorchScriptKernels(PtSymbolBlock module) {
        this.module = module;
    }

    /**
     * The kernels, compiled the first time they are asked for. They must run on PyTorch's default stream, where the
     * layers compute and the weights' copies are ordered: DJL's option to run TorchScript on a stream of its own is
     * refused.
     */
    public static synchronized TorchScriptKernels get() {
        if (Boolean.getBoolean(DJL_SEPARATE_STREAM)) {
            throw new IllegalStateException(DJL_SEPARATE_STREAM + "=true would run reap-omni's kernels on a CUDA stream"
                    + " apart from the layers' work, which they must follow in order: unset it");
        }
        if (instance == null) {
            // the module and its manager live as long as the process: every run uses them
            PtNDManager owner = (PtNDManager) NDManager.newBaseManager(Device.cpu());
            try (InputStream archive = new ByteArrayInputStream(archive(source()))) {
                instance = new TorchScriptKernels(JniUtils.loadModule(owner, archive, false, false));
            } catch (IOException e) {
                throw new UncheckedIOException("could not load reap-omni's TorchScript kernels", e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("the PyTorch runtime could not compile reap-omni's TorchScript kernels"
                        + " (fused attention needs PyTorch 2.1 or later): " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /**
     * Runs {@code method} as written; the caller closes what it returns. PyTorch's graph executor would otherwise
     * profile each graph, specialise it to the shapes seen and compile fused kernels at run time (with NVRTC on a
     * GPU), again whenever the shapes change; here they change with every batch and chunk, and the work is a few
     * large operations that fusion does not shorten. The switch is PyTorch's, per thread, so it is set on the calling
     * thread each time.
     */
    IValue run(String method, IValue... arguments) {
        JniUtils.setGraphExecutorOptimize(false);
        return IValueUtils.runMethod(module, method, arguments);
    }

    /** A call of {@code method}, whose arguments are given to the returned call in order. */
    public KernelCall call(String method) {
        return new KernelCall(this, method);
    }

    /**
     * PyTorch's number for {@code type}, as TorchScript takes a dtype argument: serialized TorchScript names dtypes
     * by number, not by {@code torch.float16}.
     */
    public static long scalarType(DataType type) {
        return switch (type) {
            case FLOAT16 -> 5;
            case FLOAT32 -> 6;
            case FLOAT64 -> 7;
            default -> throw new IllegalArgumentException("no TorchScript kernel runs in " + type);
        };
    }

    private static String source() throws IOException {
        try (InputStream in = TorchScriptKernels.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IOException(SOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A TorchScript archive (the zip that {@code torch.jit.save} writes, entries stored uncompressed) of one module
     * class, {@code __torch__.Kernels}, whose code is {@code source} and whose only attribute is {@code training}.
     */
    static byte[] archive(String source) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            store(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
            store(zip, "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            store(zip, "data.pkl", moduleObject());
            store(zip, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2: a {@code __torch__.Kernels} object whose state is {training: True}. */
    private static byte[] moduleObject() {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2});
        pickle.writeBytes("c__torch__\nKernels\n".getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {')', (byte) 0x81, '}', '('});
        byte[] name = "training".getBytes(StandardCharsets.US_ASCII);
        pickle.write('X');
        pickle.writeBytes(new byte[] {(byte) name.length, 0, 0, 0});
        pickle.writeBytes(name);
        pickle.writeBytes(new byte[] {(byte) 0x88, 'u', 'b', '.'});
        return pickle.toByteArray();
    }

    private static void store(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(ARCHIVE + "/" + name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
