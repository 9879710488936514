package io.reapomni.childjvm;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The command line of a server process: {@code --data DIR [--port N]}; port 0 (the default) means any free port.
 */
public record ServerArguments(Path data, int port) {

    public static final String USAGE = "--data DIR [--port N]";

    public ServerArguments {
        Loopback.requireValidPort(port);
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code args} */
    public static ServerArguments parse(String[] args) {
        Optional<Path> data = Optional.empty();
        int port = 0;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--data" -> data = Optional.of(Path.of(args[i + 1]));
                case "--port" -> port = parsePort(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new ServerArguments(data.orElseThrow(() -> new IllegalArgumentException("--data is required")), port);
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number, got " + value, e);
        }
    }
}
