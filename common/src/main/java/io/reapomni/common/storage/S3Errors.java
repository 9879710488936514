package io.reapomni.common.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the MinIO SDK throws into IOExceptions that say what failed and where (endpoint, bucket, key). Only
 * the endpoint, the S3 error code and the server's message are quoted, never the request or the credentials.
 */
final class S3Errors {

    private static final Set<String> CREDENTIAL_CODES = Set.of(
            "SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "InvalidToken", "ExpiredToken");

    private S3Errors() {
    }

    /**
     * @param action   what was being done, e.g. "read", "write"
     * @param location the store location, for the message
     * @param key      the key relative to the store, or null when the request names no object
     */
    static IOException translate(Throwable failure, S3Settings settings, String action, StoreLocation location, String key) {
        Throwable cause = unwrap(failure);
        String where = (key == null ? location.toString() : key + " in " + location) + " at " + settings.endpoint();
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted during S3 " + action + " of " + where);
            interrupted.initCause(cause);
            return interrupted;
        }
        if (cause instanceof ErrorResponseException response) {
            String code = response.errorResponse().code();
            String message = response.errorResponse().message();
            if (("NoSuchKey".equals(code) || "NotFound".equals(code)) && key != null) {
                NoSuchObjectException missing = new NoSuchObjectException(location, key);
                missing.initCause(cause);
                return missing;
            }
            if ("NoSuchBucket".equals(code)) {
                return new IOException("S3 " + action + " of " + where + " failed: bucket "
                        + ((StoreLocation.S3) location).bucket() + " does not exist", cause);
            }
            if (CREDENTIAL_CODES.contains(code)) {
                return new IOException("S3 endpoint " + settings.endpoint() + " refused the credentials for "
                        + action + " of " + where + " (" + code + ": " + message + "); check the access and secret key",
                        cause);
            }
            return new IOException("S3 " + action + " of " + where + " failed: " + code + ": " + message, cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof SocketTimeoutException) {
            return new IOException("cannot reach S3 endpoint " + settings.endpoint() + ": " + describe(cause)
                    + " (during " + action + " of " + where + ")", cause);
        }
        if (cause instanceof InsufficientDataException) {
            return new IOException("S3 " + action + " of " + where + " failed: a source gave fewer bytes than planned: "
                    + cause.getMessage(), cause);
        }
        if (cause instanceof NoSuchObjectException || cause instanceof EOFException) {
            // A source of the object being written failed, and its message already names the source.
            return (IOException) cause;
        }
        return new IOException("S3 " + action + " of " + where + " failed: " + describe(cause), cause);
    }

    /** The failure that a future's wrappers (of the SDK's asynchronous calls) carry. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A failure in a few words, for messages and logs: its kind and message, or "connection refused". */
    static String describe(Throwable cause) {
        for (Throwable nested = cause; nested != null; nested = nested.getCause()) {
            String message = nested.getMessage();
            if (nested instanceof ConnectException && message != null && message.toLowerCase(Locale.ROOT).contains("refused")) {
                return "connection refused";
            }
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + message;
    }
}
