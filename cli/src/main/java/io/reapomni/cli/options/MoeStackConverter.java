package io.reapomni.cli.options;

import io.reapomni.common.checkpoint.MoeStack;
import picocli.CommandLine;

/** Reads {@code --component thinker|talker}. */
public final class MoeStackConverter implements CommandLine.ITypeConverter<MoeStack> {
    @Override
    public MoeStack convert(String value) {
        try {
            return MoeStack.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
