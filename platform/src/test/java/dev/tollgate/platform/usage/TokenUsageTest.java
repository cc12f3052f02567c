package dev.tollgate.platform.usage;

import dev.tollgate.platform.usage.extract.ExtractedUsage;
import dev.tollgate.platform.usage.extract.UsageExtractionException;
import dev.tollgate.platform.usage.extract.UsageExtractors;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The provider-neutral counts: consistency of the cache-write split, and the shared extractors filling them. */
class TokenUsageTest {

    private final JsonMapper json = JsonMapper.createDefault();

    private JsonNode parse(String text) throws Exception {
        return json.readValue(text, JsonNode.class);
    }

    @Test
    void oneHourWritesArePartOfAllCacheWrites() {
        TokenUsage u = new TokenUsage(100, 0, 30, 5, 0, 20, 0, 0, 0);
        assertEquals(10, u.cacheWrite5mTokens());
        assertThrows(IllegalArgumentException.class, () -> new TokenUsage(100, 0, 10, 5, 0, 20, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenUsage(100, 0, 0, 5, 0, 0, -1, 0, 0));
    }

    @Test
    void aSplitWithoutATotalStillHasATotal() {
        ExtractedUsage e = new ExtractedUsage("anthropic", "default", null,
                Map.of("input_tokens", 50L, "cache_write_5m_tokens", 10L, "cache_write_1h_tokens", 30L, "output_tokens", 1L));
        TokenUsage u = e.toTokenUsage();
        assertEquals(40, u.cacheWriteTokens());
        assertEquals(30, u.cacheWrite1hTokens());
        assertEquals(Map.of("input_tokens", 50L, "cache_write_tokens", 40L, "cache_write_5m_tokens", 10L,
                "cache_write_1h_tokens", 30L, "output_tokens", 1L), ExtractedUsage.countsOf(u));
    }

    @Test
    void aUsageObjectAloneIsReadLeniently() throws Exception {
        UsageExtractors extractors = UsageExtractors.bundled();
        // Anthropic's message_delta carries only the output count
        assertEquals(new TokenUsage(0, 0, 0, 40, 0), extractors.tokenUsage("anthropic", "default", parse("{\"output_tokens\":40}")));
        assertEquals(TokenUsage.ZERO, extractors.tokenUsage("openai", "chat", null));
        assertEquals(new TokenUsage(30, 10, 0, 20, 0, 0, 12, 0, 8), extractors.tokenUsage("openai", "chat", parse("""
                {"prompt_tokens":30,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":10,"audio_tokens":12},
                 "completion_tokens_details":{"audio_tokens":8}}""")));
        assertThrows(UsageExtractionException.class, () -> extractors.tokenUsage("nosuchprovider", "chat", parse("{}")));
        // a whole response still needs its required counts
        assertThrows(UsageExtractionException.class, () -> extractors.extract("anthropic", "default", parse("{\"usage\":{}}")));
    }
}
