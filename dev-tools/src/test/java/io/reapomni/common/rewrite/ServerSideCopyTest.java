package io.reapomni.common.rewrite;

import io.reapomni.common.plan.Strip;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Between two prefixes of one S3 endpoint, a strip and an expert prune move few tensor bytes through the process:
 * kept tensors are copied by the server, and only headers, small files and short ranges are streamed. S3 parts (but
 * the last) hold at least 5 MiB, so a run of streamed bytes (a shard's header and small tensors) is topped up to
 * 5 MiB from the kept range after it; the rest of that range is copied when it is still 5 MiB long. In the full model
 * kept runs are hundreds of MiB; in a test model under 100 MiB they must be chosen long enough, so the cut keeps
 * experts 2 and 3: with the kept router rows and the attention block, each layer is two runs of 18 and 11 MiB.
 */
class ServerSideCopyTest {
    private static final long MIB = 1L << 20;

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    /** S3's minimum size of a multipart part other than the last. */
    private static final long MIN_PART = 5 * MIB;
    /**
     * The full model's expert projections (3 MiB, 9 MiB an expert) and an 11 MiB attention block, 2 layers of 4
     * experts: about 96 MiB, a shard per layer.
     */
    private static final SyntheticModelSpec MODEL = new SyntheticModelSpec(1024, 2, 4, 2, 1536, 20, 2, 128, 256,
            1, 64, 1, 64, 1, 2, 64, 50 * MIB);

    @Test
    void strippingVisionAndHalfTheExpertsCopiesTheKeptTensorsServerSide(@TempDir Path temp) throws Exception {
        Path model = temp.resolve("model");
        long tensorBytes = SyntheticCheckpoint.write(model, MODEL);
        assertThat(tensorBytes).isBetween(80 * MIB, 100 * MIB);
        Cut cut = Cut.sameExperts("strip vision, keep experts 2,3", Set.of(Strip.VISION), List.of(), List.of(2, 3),
                MODEL.layers());
        StoreLocation.S3 output = new StoreLocation.S3(S3.bucket(), "pruned/run-1");

        RewriteResult result;
        try (S3ObjectStore source = S3ObjectStore.open(S3.settings(), new StoreLocation.S3(S3.bucket(), "models/wide"))) {
            TestModels.upload(model, source);
            result = TestModels.prune(source, cut, output, S3::settings, "server-side");
        }

        List<Long> sizes;
        try (S3ObjectStore written = S3ObjectStore.open(S3.settings(), output)) {
            RewriteVerifier.verify(model, written, cut, result);
            sizes = written.list().stream().map(ObjectInfo::size).toList();
        }
        TransferStats transfer = result.transfer();
        long onePut = sizes.stream().mapToLong(Long::longValue).filter(size -> size <= S3ObjectStore.SINGLE_PUT_LIMIT).sum();
        long multipartShards = sizes.stream().filter(size -> size > S3ObjectStore.SINGLE_PUT_LIMIT).count();
        assertThat(multipartShards).as("shards large enough for a multipart upload").isEqualTo(2);
        assertThat(transfer.bytesCopiedInPlace()).as("bytes copied by the server (of %d written)", transfer.bytesWritten())
                .isGreaterThan(transfer.bytesWritten() * 3 / 4);
        // Streamed: the files sent whole (config, index, reports...), and each shard's first 5 MiB part: its header
        // and small tensors, topped up from the first run of experts.
        assertThat(transfer.bytesStreamed()).as("bytes streamed through the process")
                .isLessThanOrEqualTo(onePut + multipartShards * MIN_PART);
    }
}
