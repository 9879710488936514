package io.reapomni.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command's help renders as written: picocli warns on stderr when a text is not a valid format string. */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutAFormatWarning() {
        List<CommandLine> commands = new ArrayList<>();
        collect(ReapOmni.commandLine(), commands);
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<String> usages = new ArrayList<>();
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            commands.forEach(command -> usages.add(command.getUsageMessage(CommandLine.Help.Ansi.OFF)));
        } finally {
            System.setErr(stderr);
        }

        assertThat(commands).extracting(CommandLine::getCommandName).contains("rewrite", "up", "prune");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(usages).noneMatch(usage -> usage.contains("%n") || usage.contains("%%"));
        assertThat(String.join("\n", usages)).contains("strip + 50% experts");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(subcommand -> collect(subcommand, into));
    }
}
