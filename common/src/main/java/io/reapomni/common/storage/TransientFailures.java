package io.reapomni.common.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.errors.XmlParserException;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which failures of an S3 request are worth trying again: the server's 5xx answers, throttling (429, {@code SlowDown}
 * and its relatives), and the network's refused, reset, dropped and timed-out connections. Never another 4xx (the
 * request itself is wrong, or the credentials), never a failure of a local source, never an interrupt (the process is
 * being stopped), and never a failure that was already retried until the attempts ran out.
 */
final class TransientFailures {
    /** S3 error codes that say "not now": AWS's, MinIO's and S3Proxy's names for throttling and server trouble. */
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "SlowDownRead", "SlowDownWrite", "RequestTimeout", "Throttling", "ThrottlingException", "RequestThrottled",
            "RequestLimitExceeded", "TooManyRequests", "XMinioServerNotInitialized", "ConditionalRequestConflict");
    /** The SDK reports a non-XML error page (a proxy's 502, say) only in its message. */
    private static final Pattern NON_XML_STATUS = Pattern.compile("Response code: (\\d{3})");

    private TransientFailures() {
    }

    static boolean isTransient(Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return false;
        }
        Throwable cause = S3Errors.unwrap(failure);
        if (cause instanceof ErrorResponseException response) {
            return TRANSIENT_CODES.contains(response.errorResponse().code())
                    || (response.response() != null && transientStatus(response.response().code()));
        }
        if (cause instanceof ServerException server) {
            return transientStatus(server.statusCode());
        }
        if (cause instanceof XmlParserException) {
            // A successful answer whose XML could not be read: cut off by the network, almost always (the SDK keeps
            // only the parser's message, not its cause, so the reset cannot be seen).
            return true;
        }
        if (cause instanceof InvalidResponseException invalid) {
            Matcher status = NON_XML_STATUS.matcher(String.valueOf(invalid.getMessage()));
            return status.find() && transientStatus(Integer.parseInt(status.group(1)));
        }
        return isTransientIo(cause);
    }

    private static boolean transientStatus(int status) {
        return status >= 500 || status == 429;
    }

    /**
     * A network failure somewhere in the chain (the HTTP client wraps some, e.g. a connection closed before the answer
     * arrives is an IOException caused by an EOFException), unless the chain says the process is being stopped or the
     * failure was already retried.
     */
    private static boolean isTransientIo(Throwable failure) {
        if (Interruptions.causedBy(failure)) {
            return false;
        }
        boolean network = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof S3RetriesExhaustedException) {
                return false;
            }
            network |= cause instanceof SocketException || cause instanceof SocketTimeoutException
                    || cause instanceof ProtocolException || cause instanceof UnknownHostException
                    || (cause instanceof EOFException && cause != failure && cause.getClass() == EOFException.class
                    && failure.getClass() == IOException.class);
        }
        return network;
    }
}
