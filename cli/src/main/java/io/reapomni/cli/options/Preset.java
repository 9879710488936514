package io.reapomni.cli.options;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;

/** The seed's recommended configurations of the calibrated method: how many experts stay and how many layers may go. */
public enum Preset {
    LIGHT(0.75, 4),
    MEDIUM(0.5, 8),
    AGGRESSIVE(0.25, 12);

    private final double retentionRate;
    private final int maxLayers;

    Preset(double retentionRate, int maxLayers) {
        this.retentionRate = retentionRate;
        this.maxLayers = maxLayers;
    }

    public double retentionRate() {
        return retentionRate;
    }

    public int maxLayers() {
        return maxLayers;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code --preset light|medium|aggressive}. */
    public static final class Converter implements ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            return Arrays.stream(values()).filter(preset -> preset.id().equals(value.toLowerCase(Locale.ROOT)))
                    .findFirst().orElseThrow(() -> new TypeConversionException("no preset " + value + "; the presets"
                            + " are " + Arrays.stream(values()).map(Preset::id).toList()));
        }
    }
}
