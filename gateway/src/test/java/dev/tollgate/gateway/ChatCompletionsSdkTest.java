package dev.tollgate.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.tollgate.gateway.meter.UsageJournal;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official OpenAI Java SDK against the gateway, with the simulators upstream. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatCompletionsSdkTest extends GatewayTest {

    @Inject
    UsageJournal journal;

    OpenAIClient client;
    GatewayTestSupport.TestKey key;

    @BeforeAll
    void setUp() throws Exception {
        key = createKey();
        client = OpenAIOkHttpClient.builder().apiKey(key.value()).baseUrl(server.getURL() + "/v1").maxRetries(0).build();
    }

    @Test
    void chatJsonThroughEveryProvider() {
        for (String model : List.of("gpt-4o-mini", "claude-3-5-haiku-latest", "gemini-2.0-flash", "azure-gpt")) {
            ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(model).addSystemMessage("You are terse.").addUserMessage("Say hello").maxCompletionTokens(50).build());
            assertFalse(completion.choices().isEmpty(), model);
            assertTrue(completion.choices().get(0).message().content().orElse("").length() > 0, model);
            assertTrue(completion.usage().orElseThrow().promptTokens() > 0, model);
            assertTrue(completion.usage().orElseThrow().completionTokens() > 0, model);
        }
    }

    @Test
    void chatStreamingWithAndWithoutUsage() {
        StringBuilder text = new StringBuilder();
        int usageChunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Tell me a story").build())) {
            for (ChatCompletionChunk chunk : stream.stream().collect(Collectors.toList())) {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
                if (chunk.usage().isPresent()) {
                    usageChunks++;
                }
            }
        }
        assertTrue(text.length() > 0);
        assertEquals(0, usageChunks, "the usage chunk the gateway asked for is stripped");

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("claude-3-5-haiku-latest").addUserMessage("Tell me a story")
                        .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            List<ChatCompletionChunk> chunks = stream.stream().collect(Collectors.toList());
            assertTrue(chunks.stream().anyMatch(c -> c.usage().isPresent() && c.usage().get().completionTokens() > 0));
        }
    }

    @Test
    void embeddingsAndModels() {
        CreateEmbeddingResponse embeddings = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("hello world").build());
        assertEquals(1, embeddings.data().size());
        assertFalse(embeddings.data().get(0).embedding().isEmpty());
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertTrue(ids.contains("gpt-4o-mini"), ids.toString());
        assertTrue(ids.contains("azure-gpt"), ids.toString());
    }

    @Test
    void errorsSurfaceAsTypedExceptions() {
        assertThrows(NotFoundException.class, () -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("no-such-model").addUserMessage("hi").build()));
        assertThrows(BadRequestException.class, () -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("hi").maxTokens(10_000_000).build()));
        OpenAIClient wrongKey = OpenAIOkHttpClient.builder().apiKey(key.value().substring(0, key.value().length() - 1)
                        + (key.value().endsWith("x") ? "y" : "x"))
                .baseUrl(server.getURL() + "/v1").maxRetries(0).build();
        assertThrows(UnauthorizedException.class, () -> wrongKey.models().list());
    }

    @Test
    void everyRequestIsMeteredOnce() throws Exception {
        // the other tests' events may still be on their way from the journal to PostgreSQL
        assertTrue(journal.awaitFlushed(Duration.ofSeconds(10)));
        long before = countEvents();
        client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("count me").build());
        assertThrows(NotFoundException.class, () -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("nope-model").addUserMessage("hi").build()));
        assertTrue(journal.awaitFlushed(Duration.ofSeconds(10)));
        assertEquals(before + 2, countEvents());
    }

    private long countEvents() throws Exception {
        try (Connection c = GatewayTestSupport.raw(dataSource).getConnection(); ResultSet rs = c.createStatement()
                .executeQuery("select count(*) from usage_event where tenant_id = '" + key.tenantId() + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
