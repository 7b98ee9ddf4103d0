package dev.pulse.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** Writes a parsed event back as JSON in the input's field names, for {@code late_events.payload}. */
public final class EventJson {
    private static final ObjectMapper OUT = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventJson() {}

    public static String write(Event event) {
        ObjectNode node = OUT.valueToTree(event);
        node.put("event_time", Instant.ofEpochMilli(event.eventTime).toString());
        return node.toString();
    }
}
