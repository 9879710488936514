package io.reapomni.calibration.evaluation;

import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.evaluation.QualityReport;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Both models and the samples in a real S3 endpoint evaluate exactly as the same files on disk. */
class StoredModelsEvaluationTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir
    Path folder;

    @Test
    void modelsAndDataInS3GiveTheLocalResults() throws Exception {
        Path pruned = PrunedFixture.readmeExample(folder.resolve("pruned"));
        Path data = ReferenceInputs.write(folder.resolve("data"));
        EvaluationOptions options = new EvaluationOptions(3, TestDevice.float32());
        QualityReport local = ReferenceInputs.evaluate(TinyFixture.modelDir(), pruned, data, 2, options);
        QualityReport stored = ReferenceInputs.evaluate(uploaded(TinyFixture.modelDir(), "models/original"),
                uploaded(pruned, "models/pruned"), uploaded(data, "calibration"), 2, options);
        assertThat(stored.samples()).hasSize(2).isEqualTo(local.samples());
        assertThat(stored.original()).isEqualTo("s3://" + S3.bucket() + "/models/original");
        assertThat(stored.data()).isEqualTo("s3://" + S3.bucket() + "/calibration/reference.jsonl");
    }

    private ObjectStore uploaded(Path local, String prefix) throws Exception {
        ObjectStore store = ObjectStores.open(StoreLocation.parse("s3://" + S3.bucket() + "/" + prefix),
                S3::settings);
        TestModels.upload(local, store);
        return store;
    }
}
