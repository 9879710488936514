package io.reapomni.cli.options;

import io.reapomni.common.job.JobIds;
import picocli.CommandLine;

/** A {@code --job-id} (or job id parameter) checked by the one job-id syntax before anything uses it. */
public final class JobIdConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
        try {
            return JobIds.validate(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
