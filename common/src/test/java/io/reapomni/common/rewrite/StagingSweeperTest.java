package io.reapomni.common.rewrite;

import io.reapomni.common.storage.CopyListener;
import io.reapomni.common.storage.RetrySettings;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.FaultInjectingProxy;
import io.reapomni.common.storage.testing.FaultInjectingProxy.Fault;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import io.reapomni.common.storage.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What jobs left and never came back for is removed once older than the age; nothing else is touched. */
class StagingSweeperTest {
    private static final Duration WEEK = Duration.ofDays(7);

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir
    Path parent;

    @Test
    void staleStagingFoldersOfOtherJobsGoAndEverythingElseStays() throws Exception {
        Path stale = stagingFolder(".pruned.reap-staging-old-job", Duration.ofDays(8));
        Path young = stagingFolder(".pruned.reap-staging-young-job", Duration.ofDays(2));
        Path active = stagingFolder(".other.reap-staging-running-job", Duration.ofDays(30));
        Path notStaging = stagingFolder(".cache", Duration.ofDays(30));
        Path model = stagingFolder("pruned", Duration.ofDays(30));
        // A staging folder's age is its newest file's: an old folder that a job still writes to is young.
        Path stillWritten = stagingFolder(".pruned.reap-staging-slow-job", Duration.ofDays(9));
        Files.writeString(stillWritten.resolve("model-00002-of-00007.safetensors"), "fresh");

        List<String> removed = StagingSweeper.sweepIn(new StoreLocation.Local(parent), TestModels::noS3, WEEK,
                Set.of("running-job"), Clock.systemUTC());

        assertThat(removed).containsExactly("staging folder " + stale);
        assertThat(stale).doesNotExist();
        assertThat(List.of(young, active, notStaging, model, stillWritten)).allSatisfy(path -> assertThat(path).exists());
    }

    @Test
    void sweepingNearAnOutputSweepsTheFolderItLiesIn() throws Exception {
        Path stale = stagingFolder(".pruned.reap-staging-old-job", Duration.ofDays(8));

        StagingSweeper.sweepNear(new StoreLocation.Local(parent.resolve("pruned")), TestModels::noS3, WEEK, Set.of(),
                Clock.systemUTC());

        assertThat(stale).doesNotExist();
    }

    @Test
    void anUploadAbandonedByARetriedStartIsAbortedOnceOldAndOnlyThen() throws Exception {
        StoreLocation.S3 output = new StoreLocation.S3(S3.bucket(), "abandoned");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(S3.settings().endpoint());
             S3ObjectStore store = S3ObjectStore.open(throughProxy(proxy), output)) {
            // The server starts an upload but its answer is lost: the retried start begins a second one.
            proxy.schedule(request -> request.method().equals("POST") && request.target().contains("uploads")
                    && proxy.injected(Fault.RESET_AFTER_SERVER) == 0 ? Fault.RESET_AFTER_SERVER : Fault.NONE);
            store.write("model.safetensors", List.of(new Segment.Bytes(TestData.bytes(1, 20 << 20))),
                    CopyListener.NONE);
            assertThat(proxy.injected(Fault.RESET_AFTER_SERVER)).isEqualTo(1);

            List<String> whileYoung = StagingSweeper.sweepIn(output, S3::settings, WEEK, Set.of(), Clock.systemUTC());
            Clock aWeekLater = Clock.offset(Clock.systemUTC(), WEEK.plusHours(1));
            List<String> aged = StagingSweeper.sweepIn(output, S3::settings, WEEK, Set.of(), aWeekLater);
            List<String> again = StagingSweeper.sweepIn(output, S3::settings, WEEK, Set.of(), aWeekLater);

            assertThat(whileYoung).isEmpty();
            assertThat(aged).containsExactly("multipart upload of model.safetensors in " + output);
            assertThat(again).isEmpty();
            assertThat(store.size("model.safetensors")).as("the completed object stays").isEqualTo(20 << 20);
        }
    }

    @Test
    void theMaxAgeComesFromItsVariable() {
        assertThat(StagingSweeper.maxAge(Map.of())).isEqualTo(WEEK);
        assertThat(StagingSweeper.maxAge(Map.of(StagingSweeper.MAX_AGE_VARIABLE, "PT12H"))).isEqualTo(Duration.ofHours(12));
        assertThatThrownBy(() -> StagingSweeper.maxAge(Map.of(StagingSweeper.MAX_AGE_VARIABLE, "7 days")))
                .hasMessageContaining(StagingSweeper.MAX_AGE_VARIABLE).hasMessageContaining("P7D");
        assertThatThrownBy(() -> StagingSweeper.maxAge(Map.of(StagingSweeper.MAX_AGE_VARIABLE, "PT0S")))
                .hasMessageContaining("positive");
    }

    /** A folder with a file, both last modified {@code age} ago. */
    private Path stagingFolder(String name, Duration age) throws Exception {
        Path folder = Files.createDirectories(parent.resolve(name));
        Files.writeString(folder.resolve("model-00001-of-00007.safetensors"), "finished");
        FileTime then = FileTime.from(Instant.now().minus(age));
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.toList()) {
                Files.setLastModifiedTime(path, then);
            }
        }
        return folder;
    }

    private static S3Settings throughProxy(FaultInjectingProxy proxy) {
        return new S3Settings(proxy.endpoint(), S3.settings().region(), S3.settings().accessKey(),
                S3.settings().secretKey(), new RetrySettings(3, Duration.ofMillis(5), Duration.ofMillis(20)));
    }
}
