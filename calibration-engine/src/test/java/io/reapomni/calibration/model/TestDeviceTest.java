package io.reapomni.calibration.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.job.Modality;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine tests compute where reap.device says: activations, weights and results stay on that device. */
class TestDeviceTest {
    private static final Logger LOG = LoggerFactory.getLogger(TestDeviceTest.class);


    @Test
    void weightsAndActivationsLiveOnTheTestDevice() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        ThinkerLoader loader = new ThinkerLoader(fixture.stager, fixture.config.stack(MoeStack.THINKER),
                ComputePrecision.FLOAT32);
        try (NDManager manager = TestDevice.newManager()) {
            DecoderLayer layer = loader.layer(manager, 0);
            int[] ids = fixture.tokenIds("text");
            NDArray hidden = loader.embedding().embed(manager, ids);
            LayerResult result = layer.apply(hidden, loader.rope(manager, PositionIds.sequential(ids.length)),
                    new DeviceLayout(StreamLayout.single("text", Modality.AUDIO, ids.length), manager));
            LOG.debug(String.format(Locale.ROOT,
                    "test device %s: %s %s", TestDevice.device(), Engine.getInstance().getEngineName(),
                    Engine.getInstance().getVersion()));
            assertThat(manager.getDevice()).isEqualTo(TestDevice.device().toDjl());
            assertThat(layer.attention().queryProjection().weight().getDevice()).isEqualTo(manager.getDevice());
            assertThat(hidden.getDevice()).isEqualTo(manager.getDevice());
            assertThat(result.hidden().getDevice()).isEqualTo(manager.getDevice());
        }
    }

    @Test
    void theAudioTowerComputesOnTheTestDevice() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        AudioTowerLoader loader = new AudioTowerLoader(fixture.stager, fixture.config, ComputePrecision.FLOAT32);
        try (NDManager manager = TestDevice.newManager()) {
            NDArray output = loader.load(manager).part().encode(manager, fixture.audioFeatures());
            assertThat(output.getDevice()).isEqualTo(TestDevice.device().toDjl());
        }
    }
}
