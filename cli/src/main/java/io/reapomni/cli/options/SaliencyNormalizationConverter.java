package io.reapomni.cli.options;

import io.reapomni.common.job.SaliencyNormalization;
import picocli.CommandLine;

/** Reads {@code --saliency-normalization reap|all-tokens}. */
public final class SaliencyNormalizationConverter implements CommandLine.ITypeConverter<SaliencyNormalization> {
    @Override
    public SaliencyNormalization convert(String value) {
        try {
            return SaliencyNormalization.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
