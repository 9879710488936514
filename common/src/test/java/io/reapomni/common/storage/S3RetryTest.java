package io.reapomni.common.storage;

import io.reapomni.common.storage.testing.FaultInjectingProxy;
import io.reapomni.common.storage.testing.FaultInjectingProxy.Fault;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import io.reapomni.common.storage.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests to a real S3 endpoint through a proxy that answers 503 SlowDown, resets connections before and after the
 * server did the work, and cuts answers off halfway: every kind of request a rewrite makes is retried until it
 * succeeds, the bytes stored and read are exact, and what cannot succeed (a missing object, refused credentials, a
 * fault that outlasts the attempts) fails after as many attempts as it deserves.
 */
class S3RetryTest {
    private static final int MIB = 1 << 20;
    private static final RetrySettings QUICK = new RetrySettings(6, Duration.ofMillis(5), Duration.ofMillis(40));
    private static final List<Fault> EVERY_FAULT = List.of(Fault.SLOW_DOWN, Fault.NONE, Fault.RESET_BEFORE_SERVER,
            Fault.NONE, Fault.RESET_AFTER_SERVER, Fault.NONE, Fault.TRUNCATED_ANSWER, Fault.NONE);

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static FaultInjectingProxy proxy;
    private static S3ObjectStore store;

    @BeforeAll
    static void startProxy() throws IOException {
        proxy = FaultInjectingProxy.start(S3.settings().endpoint());
        store = S3ObjectStore.open(throughProxy(S3.settings().secretKey()), new StoreLocation.S3(S3.bucket(), "retry"));
    }

    @AfterAll
    static void stopProxy() throws IOException {
        store.close();
        proxy.close();
    }

    @AfterEach
    void stopFaults() {
        proxy.schedule(FaultInjectingProxy.Schedule.NONE);
    }

    @Test
    void everyKindOfRequestSurvivesEveryKindOfFaultAndTheBytesAreExact() throws Exception {
        byte[] whole = TestData.bytes(1, 40 * MIB);
        byte[] small = TestData.bytes(2, 100_000);
        proxy.schedule(FaultInjectingProxy.Schedule.onceEach(proxy.requests() + 1, 200, EVERY_FAULT));

        store.write("big.bin", List.of(new Segment.Bytes(whole)), CopyListener.NONE);
        store.write("small.bin", List.of(new Segment.Bytes(small)), CopyListener.NONE);
        // Server-side copies of ranges, a streamed remainder, a completion: a rewrite's shard in miniature.
        store.write("copy.bin", List.of(new Segment.Range(store, "big.bin", 3, 20 * MIB),
                new Segment.Range(store, "small.bin", 0, 100_000), new Segment.Range(store, "big.bin", 30 * MIB,
                        6 * MIB)), CopyListener.NONE);
        List<ObjectInfo> listed = store.list();
        long size = store.size("copy.bin");
        byte[] readBack = readFully("big.bin");
        byte[] copied = readFully("copy.bin");
        store.delete("small.bin");

        assertThat(listed).extracting(ObjectInfo::key).contains("big.bin", "small.bin", "copy.bin");
        assertThat(readBack).isEqualTo(whole);
        assertThat(size).isEqualTo(26L * MIB + 100_000);
        assertThat(copied).isEqualTo(concat(slice(whole, 3, 20 * MIB), small, slice(whole, 30 * MIB, 6 * MIB)));
        assertThat(store.exists("small.bin")).isFalse();
        for (Fault fault : List.of(Fault.SLOW_DOWN, Fault.RESET_BEFORE_SERVER, Fault.RESET_AFTER_SERVER,
                Fault.TRUNCATED_ANSWER)) {
            assertThat(proxy.injected(fault)).as("requests that got %s", fault).isPositive();
        }
        assertThat(proxy.faultyRequests()).as("faults in multipart requests").anyMatch(FaultInjectingProxy.Request::isMultipart);
    }

    @Test
    void aRangedReadCutOffMidBodyGoesOnWhereItStopped() throws Exception {
        byte[] content = TestData.bytes(3, 8 * MIB);
        store.write("cut.bin", List.of(new Segment.Bytes(content)), CopyListener.NONE);
        int first = proxy.requests() + 1;
        proxy.schedule(request -> request.number() == first ? Fault.TRUNCATED_ANSWER : Fault.NONE);

        try (InputStream in = store.read("cut.bin", MIB, 6 * MIB)) {
            assertThat(in.readAllBytes()).isEqualTo(slice(content, MIB, 6 * MIB));
        }
        assertThat(proxy.injected(Fault.TRUNCATED_ANSWER)).isEqualTo(1);
    }

    @Test
    void aMissingObjectAndRefusedCredentialsAreNotRetried() throws Exception {
        int before = proxy.requests();
        assertThatThrownBy(() -> store.size("missing.bin")).isInstanceOf(NoSuchObjectException.class);
        assertThat(proxy.requests() - before).as("requests for a missing object").isEqualTo(1);

        try (S3ObjectStore wrongSecret = S3ObjectStore.open(throughProxy("not-the-secret"),
                new StoreLocation.S3(S3.bucket(), "retry"))) {
            int beforeWrong = proxy.requests();
            assertThatThrownBy(() -> wrongSecret.list()).hasMessageContaining("refused the credentials");
            assertThat(proxy.requests() - beforeWrong).as("requests with refused credentials").isEqualTo(1);
        }
    }

    @Test
    void aFaultThatOutlastsTheAttemptsFailsNamingThemAndEachRetryIsLogged() throws Exception {
        store.write("slow.bin", List.of(new Segment.Bytes(new byte[10])), CopyListener.NONE);
        int before = proxy.requests();
        proxy.schedule(request -> Fault.SLOW_DOWN);

        String log = stderrOf(() -> assertThatThrownBy(() -> store.size("slow.bin"))
                .isInstanceOf(S3RetriesExhaustedException.class)
                .hasMessageContaining("slow.bin")
                .hasMessageContaining("gave up after " + QUICK.attempts() + " attempts"));

        assertThat(proxy.requests() - before).isEqualTo(QUICK.attempts());
        assertThat(log.lines().filter(line -> line.contains("S3 stat of slow.bin") && line.contains("attempt")))
                .hasSize(QUICK.attempts() - 1);
    }

    private static S3Settings throughProxy(String secretKey) {
        return new S3Settings(proxy.endpoint(), S3.settings().region(), S3.settings().accessKey(), secretKey, QUICK);
    }

    private static byte[] readFully(String key) throws IOException {
        try (InputStream in = store.read(key, 0, store.size(key))) {
            return in.readAllBytes();
        }
    }

    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static byte[] slice(byte[] content, int offset, int length) {
        return java.util.Arrays.copyOfRange(content, offset, offset + length);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
