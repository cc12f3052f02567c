package dev.tollgate.gateway.model;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The streaming tree reader and writer agree with Micronaut's {@link JsonMapper}, byte for byte. */
class JsonTreesTest {

    private final JsonMapper mapper = JsonMapper.createDefault();

    private static final String SAMPLE = """
            {"model":"gpt-4o","n":1,"big":12345678901,"huge":123456789012345678901234567890,"t":0.7,"e":1.5E-7,
             "neg":-3,"ok":true,"no":false,"nothing":null,"text":"héllo \\"quoted\\" \\n tab\\t 😀 \\u0001",
             "messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}}]}],
             "empty_obj":{},"empty_arr":[],"nested":[[1,[2,[3]]],{"a":{"b":{"c":[]}}}]}""";

    @Test
    void readsTheSameTreeAsTheMapper() throws IOException {
        byte[] bytes = SAMPLE.getBytes(StandardCharsets.UTF_8);
        JsonNode expected = mapper.readValue(bytes, JsonNode.class);
        assertEquals(expected, JsonTrees.parse(bytes));
        assertEquals(expected, JsonTrees.parse(SAMPLE));
    }

    @Test
    void writesTheSameBytesAsTheMapper() throws IOException {
        JsonNode tree = mapper.readValue(SAMPLE, JsonNode.class);
        assertEquals(mapper.writeValueAsString(tree), JsonTrees.write(tree));
        assertArrayEquals(mapper.writeValueAsBytes(tree), JsonTrees.writeBytes(tree));
        JsonNode built = Json.obj().put("s", "x").put("i", 3).put("d", 0.25).put("b", true).putNull("z")
                .put("a", Json.arr(java.util.List.of(Json.num(1), Json.str("two")))).build();
        assertEquals(mapper.writeValueAsString(built), JsonTrees.write(built));
    }

    @Test
    void rejectsMalformedJson() {
        for (String bad : new String[] {"", "   ", "{", "{\"a\":}", "[1,2", "{\"a\" 1}", "nul", "{'a':1}"}) {
            assertThrows(IOException.class, () -> JsonTrees.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }
}
