package io.reapomni.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** bin/reap-omni: the command line of reap-omni. */
@Command(name = "reap-omni", mixinStandardHelpOptions = true, version = "reap-omni 0.1.0",
        description = "Prune Qwen3-Omni into an audio-focused model: modality strip, REAP expert pruning, layer pruning.")
public final class ReapOmni {
    public static void main(String[] args) {
        System.exit(new CommandLine(new ReapOmni()).execute(args));
    }
}
