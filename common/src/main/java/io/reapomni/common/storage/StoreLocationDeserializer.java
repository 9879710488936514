package io.reapomni.common.storage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

import java.io.IOException;

/**
 * Reads a {@link StoreLocation} from the string users and events write ({@code s3://bucket/prefix} or a folder), with
 * {@link StoreLocation#parse}'s checks: a location that is not valid fails the whole document, and the failure names
 * the field that held it.
 */
final class StoreLocationDeserializer extends StdScalarDeserializer<StoreLocation> {
    StoreLocationDeserializer() {
        super(StoreLocation.class);
    }

    @Override
    public StoreLocation deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (StoreLocation) context.handleUnexpectedToken(StoreLocation.class, parser);
        }
        String text = parser.getText();
        try {
            return StoreLocation.parse(text);
        } catch (IllegalArgumentException e) {
            throw InvalidFormatException.from(parser, e.getMessage(), text, StoreLocation.class);
        }
    }
}
