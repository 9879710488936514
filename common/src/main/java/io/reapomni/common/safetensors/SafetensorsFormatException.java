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
}
