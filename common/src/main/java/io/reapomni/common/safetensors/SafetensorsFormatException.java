package io.reapomni.common.safetensors;

import java.io.IOException;

/** A safetensors file whose header or layout is not valid; the message names the problem. */
public class SafetensorsFormatException extends IOException {
    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem in the named file; every message starts with the file so that a report of many shards stays clear. */
    static SafetensorsFormatException inFile(String fileName, String problem) {
        return new SafetensorsFormatException(fileName + ": " + problem);
    }

    static SafetensorsFormatException inFile(String fileName, String problem, Throwable cause) {
        return new SafetensorsFormatException(fileName + ": " + problem, cause);
    }
}
