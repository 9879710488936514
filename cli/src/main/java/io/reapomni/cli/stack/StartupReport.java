package io.reapomni.cli.stack;

import java.io.PrintWriter;

/** Prints how long each part of a stack took to start, so that the overhead of the stack stays visible. */
public final class StartupReport {

    private StartupReport() {
    }

    public static void print(PrintWriter out, StackStartup startup) {
        out.printf("Stack ready in %.1f s:", startup.total().toMillis() / 1000.0);
        startup.state().parts().stream()
                .filter(StackPart::server)
                .forEach(part -> out.printf(" %s %.1f s,", part.name(), part.startup().toMillis() / 1000.0));
        out.printf(" topics %.1f s,", startup.topics().toMillis() / 1000.0);
        out.print(String.join(",", startup.state().parts().stream()
                .filter(part -> !part.server())
                .map(part -> String.format(" %s %.1f s", part.name(), part.startup().toMillis() / 1000.0))
                .toList()));
        out.printf(", consumers assigned %.1f s later (services start side by side)%n",
                startup.consumers().toMillis() / 1000.0);
        out.flush();
    }
}
