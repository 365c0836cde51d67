package dev.accordion.spi;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.accordion.schema.SchemaSnapshot;

/** How state stores keep schema snapshots: as JSON, which every engine can store. */
public final class StateJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new Jdk8Module())
            .serializationInclusion(JsonInclude.Include.NON_ABSENT)
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE).build();

    private StateJson() {
    }

    public static String write(SchemaSnapshot snapshot) {
        try {
            return MAPPER.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a schema snapshot", e);
        }
    }

    public static SchemaSnapshot readSnapshot(String json) {
        try {
            return MAPPER.readValue(json, SchemaSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the state store holds a schema snapshot this version cannot read: " + e.getOriginalMessage(), e);
        }
    }
}
