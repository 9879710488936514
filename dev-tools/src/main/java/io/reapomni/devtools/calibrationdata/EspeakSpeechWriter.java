package io.reapomni.devtools.calibrationdata;

import io.reapomni.calibration.audio.AudioDecodingException;
import io.reapomni.calibration.audio.WavDecoder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/** Speech synthesised by {@code espeak-ng} (Debian package espeak-ng) in one of a few English voices and speeds. */
public final class EspeakSpeechWriter implements SpeechClipWriter {
    private static final List<String> VOICES = List.of("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-us+f3");
    private static final int SLOWEST_WORDS_PER_MINUTE = 130;
    private static final int FASTEST_WORDS_PER_MINUTE = 190;
    private static final int LOWEST_PITCH = 30;
    private static final int HIGHEST_PITCH = 70;

    private final Duration timeout;

    /** @param timeout how long espeak-ng may take on one clip */
    public EspeakSpeechWriter(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public double write(Path file, String utterance, Random variation) throws SampleGenerationException {
        String voice = VOICES.get(variation.nextInt(VOICES.size()));
        int speed = variation.nextInt(SLOWEST_WORDS_PER_MINUTE, FASTEST_WORDS_PER_MINUTE + 1);
        int pitch = variation.nextInt(LOWEST_PITCH, HIGHEST_PITCH + 1);
        ExternalTool.ESPEAK_NG.run(List.of("-w", file.toString(), "-v", voice, "-s", Integer.toString(speed),
                "-p", Integer.toString(pitch), utterance), timeout);
        try {
            return WavDecoder.decode(file).durationSeconds();
        } catch (AudioDecodingException e) {
            throw new SampleGenerationException("espeak-ng wrote an unreadable clip: " + e.getMessage(), e);
        }
    }

    @Override
    public ClipSource source() {
        return ClipSource.ESPEAK_NG;
    }
}
