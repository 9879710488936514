package io.reapomni.common.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.Optional;

/**
 * A location that may be left out, in JSON as it has always been written: the location's string, or an empty string
 * for none ({@code null} is read as none too). What is not empty is read with {@link StoreLocation#parse}'s checks.
 */
public final class OptionalStoreLocationJson {
    private OptionalStoreLocationJson() {
    }

    /** Writes the location, or {@code ""} for none. */
    public static final class Writer extends StdSerializer<Optional<StoreLocation>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Writer() {
            super((Class) Optional.class);
        }

        @Override
        public void serialize(Optional<StoreLocation> value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeString(value.map(StoreLocation::toString).orElse(""));
        }
    }

    /** Reads a location, or none from {@code ""} or {@code null}. */
    public static final class Reader extends StdDeserializer<Optional<StoreLocation>> {
        private final StoreLocationDeserializer location = new StoreLocationDeserializer();

        public Reader() {
            super(Optional.class);
        }

        @Override
        public Optional<StoreLocation> deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING) && parser.getText().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(location.deserialize(parser, context));
        }

        @Override
        public Optional<StoreLocation> getNullValue(DeserializationContext context) {
            return Optional.empty();
        }
    }
}
