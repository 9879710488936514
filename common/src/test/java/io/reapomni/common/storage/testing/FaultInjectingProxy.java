package io.reapomni.common.storage.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 in front of an S3 endpoint that injects the faults of a bad network and a struggling
 * server, request by request as a {@link Schedule} says: a 503 {@code SlowDown} answer, a connection reset before the
 * request reaches the server, a reset after the server has done the work (so the client never learns it succeeded),
 * and a response cut off halfway through its body. Everything else passes through byte for byte, so request
 * signatures stay valid (the Host header is the proxy's, as the client signed it).
 * <p>
 * Each request gets its own upstream connection, which the server closes after answering ({@code Connection: close}
 * is put in the forwarded request): that is how the proxy knows where one exchange ends without parsing bodies.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    public enum Fault {
        /** Passed through. */
        NONE,
        /** Answered by the proxy with 503 and an S3 {@code SlowDown} error; the server never sees the request. */
        SLOW_DOWN,
        /** The connection is reset as soon as the request's head has arrived; the server never sees it. */
        RESET_BEFORE_SERVER,
        /** The server handles the request; the client's connection is reset before the answer reaches it. */
        RESET_AFTER_SERVER,
        /** The answer's head and half its body reach the client, then the connection closes. */
        TRUNCATED_ANSWER
    }

    /** One request as the proxy saw it: its number (from 1, in arrival order), method and target (path and query). */
    public record Request(int number, String method, String target) {
        /** A part upload, a server-side part copy or a completion: a request of a multipart upload. */
        public boolean isMultipart() {
            return target.contains("uploadId=");
        }
    }

    /** Which fault a request gets. */
    @FunctionalInterface
    public interface Schedule {
        Schedule NONE = request -> Fault.NONE;

        Fault faultFor(Request request);

        /**
         * {@code faults}, in turn, to the {@code count} requests from number {@code first} on, each distinct request
         * (method and target) at most once: a retried request goes through, so every request succeeds by its second
         * attempt however the faults fall, and a test of retries cannot fail by bad luck.
         */
        static Schedule onceEach(int first, int count, List<Fault> faults) {
            Set<String> faulted = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            return request -> {
                if (request.number() < first || request.number() >= first + count
                        || faulted.contains(request.method() + " " + request.target())) {
                    return Fault.NONE;
                }
                Fault fault = faults.get(next.getAndIncrement() % faults.size());
                if (fault != Fault.NONE) {
                    faulted.add(request.method() + " " + request.target());
                }
                return fault;
            };
        }
    }

    private static final int MAX_HEAD_BYTES = 64 << 10;
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final String SLOW_DOWN_BODY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message></Error>";

    private final URI upstream;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final List<Request> faulty = new ArrayList<>();
    private volatile Schedule schedule = Schedule.NONE;

    private FaultInjectingProxy(URI upstream, ServerSocket server) {
        this.upstream = upstream;
        this.server = server;
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicInteger());
        }
    }

    /** Starts a proxy for the endpoint {@code upstream} (http://host:port) on a free port of 127.0.0.1. */
    public static FaultInjectingProxy start(URI upstream) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultInjectingProxy proxy = new FaultInjectingProxy(upstream, server);
        proxy.connections.execute(proxy::acceptLoop);
        return proxy;
    }

    /** The proxy's endpoint, to give clients instead of the upstream one. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Faults from now on, numbering requests on from where they are. */
    public void schedule(Schedule newSchedule) {
        schedule = newSchedule;
    }

    /** Requests seen so far. */
    public int requests() {
        return requests.get();
    }

    /** How many requests got {@code fault}. */
    public int injected(Fault fault) {
        return injected.get(fault).get();
    }

    /** The requests that got a fault, in order. */
    public synchronized List<Request> faultyRequests() {
        return List.copyOf(faulty);
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            byte[] head = readHead(fromClient);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
            Request request = new Request(requests.incrementAndGet(), requestLine[0], requestLine[1]);
            Fault fault = schedule.faultFor(request);
            if (fault != Fault.NONE) {
                injected.get(fault).incrementAndGet();
                synchronized (this) {
                    faulty.add(request);
                }
            }
            switch (fault) {
                case SLOW_DOWN -> answerSlowDown(client, fromClient, text);
                case RESET_BEFORE_SERVER -> reset(client);
                default -> forward(client, fromClient, text, fault);
            }
        } catch (IOException e) {
            // A client or the server went away mid-exchange: that exchange is over.
        }
    }

    private void answerSlowDown(Socket client, InputStream fromClient, String head) throws IOException {
        long contentLength = contentLength(head);
        if (contentLength < 0) {
            reset(client); // a body of unknown length cannot be drained before answering
            return;
        }
        fromClient.skipNBytes(contentLength);
        byte[] body = SLOW_DOWN_BODY.getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private void forward(Socket client, InputStream fromClient, String head, Fault fault) throws IOException {
        try (Socket server = new Socket()) {
            server.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()));
            OutputStream toServer = server.getOutputStream();
            toServer.write(closingHead(head).getBytes(StandardCharsets.ISO_8859_1));
            toServer.flush();
            // The body (if any) goes on in the background; the server answers once it has it.
            connections.execute(() -> pump(fromClient, toServer));
            InputStream fromServer = new BufferedInputStream(server.getInputStream());
            byte[] answerHead = readHead(fromServer);
            if (answerHead == null) {
                reset(client);
                return;
            }
            if (fault == Fault.RESET_AFTER_SERVER) {
                fromServer.transferTo(OutputStream.nullOutputStream()); // let the server finish its answer
                reset(client);
                return;
            }
            OutputStream toClient = client.getOutputStream();
            toClient.write(answerHead);
            if (fault == Fault.TRUNCATED_ANSWER) {
                long length = contentLength(new String(answerHead, StandardCharsets.ISO_8859_1));
                toClient.write(fromServer.readNBytes((int) Math.max(0, Math.min(length / 2, 1 << 20))));
                toClient.flush();
                reset(client);
                return;
            }
            fromServer.transferTo(toClient);
            toClient.flush();
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        try {
            from.transferTo(to);
        } catch (IOException e) {
            // One side closed: the exchange is over.
        }
    }

    /** The head with {@code Connection: close} instead of whatever the client asked for. */
    private static String closingHead(String head) {
        StringBuilder rewritten = new StringBuilder();
        for (String line : head.substring(0, head.length() - 4).split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                rewritten.append(line).append("\r\n");
            }
        }
        return rewritten.append("Connection: close\r\n\r\n").toString();
    }

    /** The Content-Length of a head, -1 when it has none (chunked or no body). */
    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        return head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked") ? -1 : 0;
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** The bytes up to and including the blank line that ends a head; null when the stream ends before any byte. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < HEAD_END.length) {
            int next = in.read();
            if (next < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("the stream ended inside a head");
            }
            head.write(next);
            matched = next == HEAD_END[matched] ? matched + 1 : (next == HEAD_END[0] ? 1 : 0);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("head larger than " + MAX_HEAD_BYTES + " bytes");
            }
        }
        return head.toByteArray();
    }
}
