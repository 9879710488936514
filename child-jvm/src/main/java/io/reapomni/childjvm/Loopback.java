package io.reapomni.childjvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The loopback address every embedded server listens on (nothing outside the machine reaches them), and its ports. */
public final class Loopback {

    public static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago. Kafka's controller must be named in the voter list before it
     * binds, so port 0 cannot be handed to it; another process may still take the port in between, which a caller
     * sees as a bind failure at startup.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }

    /** {@code requested}, or a free port when it is 0. */
    public static int portOrFree(int requested) {
        return requireValidPort(requested) == 0 ? freePort() : requested;
    }

    /** Accepts 0 (meaning any free port) and 1..65535. */
    public static int requireValidPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, got " + port);
        }
        return port;
    }
}
