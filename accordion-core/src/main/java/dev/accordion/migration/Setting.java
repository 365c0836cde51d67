package dev.accordion.migration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.util.Optional;

/**
 * A text field where "set to null" differs from "not mentioned", as alter_column's {@code default}
 * and {@code comment}: an absent field is a null {@code Setting}, {@code field: null} is a
 * {@code Setting} without a value.
 */
@JsonDeserialize(using = Setting.Reader.class)
public record Setting(String value) {

    public Optional<String> asOptional() {
        return Optional.ofNullable(value);
    }

    @JsonValue
    public String json() {
        return value;
    }

    static final class Reader extends JsonDeserializer<Setting> {
        @Override
        public Setting deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.currentToken().isScalarValue()) {
                return (Setting) context.handleUnexpectedToken(Setting.class, parser);
            }
            return new Setting(parser.currentToken() == JsonToken.VALUE_NULL ? null : parser.getValueAsString());
        }

        @Override
        public Setting getNullValue(DeserializationContext context) {
            return new Setting(null);
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }
    }
}
