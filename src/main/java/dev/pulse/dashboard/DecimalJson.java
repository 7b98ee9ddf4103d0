package dev.pulse.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The dashboard document as the page receives it: {@code pulse_dashboard()}'s JSON with every number written as a
 * JSON string holding its exact decimal digits ({@code 1234.50} stays {@code "1234.50"}). A browser's
 * {@code JSON.parse} would turn a number into a binary double; a string reaches the page's formatter digit for digit.
 */
public final class DecimalJson {
    private static final ObjectMapper READ = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final ObjectMapper WRITE = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private DecimalJson() {}

    /** {@code jsonb} text from PostgreSQL to the page's form (numbers as strings, exact). */
    public static String forPage(String jsonb) {
        try {
            return WRITE.writeValueAsString(READ.readTree(jsonb));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document without the fields that move with the clock on every call: equal means nothing new to show. */
    static String content(String pageJson) {
        try {
            JsonNode n = READ.readTree(pageJson);
            if (n instanceof ObjectNode o) {
                o.remove("generated_at");
                if (o.get("bad_input") instanceof ObjectNode bad) {
                    bad.remove("since");
                }
            }
            return READ.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
