package dev.tollgate.gateway.meter;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.Message;
import dev.tollgate.gateway.model.Part;
import dev.tollgate.gateway.model.Tool;
import dev.tollgate.gateway.model.ToolCall;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Counts tokens with jtokkit: {@code o200k_base} for current OpenAI models, {@code cl100k_base}
 * for everything else (an approximation for other providers' tokenizers, used only where the
 * provider reports no usage and for limit reservations). Message overheads follow OpenAI's
 * published counting recipe.
 */
@Singleton
public class TokenCounter {

    /** Tokens assumed for one image (OpenAI's high-detail 512 px tile count as a middle ground). */
    static final int IMAGE_TOKENS = 765;

    /** Model families tokenized with {@code o200k_base}. */
    private static final String[] O200K_FAMILIES = {"gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "gpt-oss", "o1", "o3", "o4"};

    private final Encoding o200k;
    private final Encoding cl100k;
    private final JsonMapper json;

    public TokenCounter(JsonMapper json) {
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        this.o200k = registry.getEncoding(EncodingType.O200K_BASE);
        this.cl100k = registry.getEncoding(EncodingType.CL100K_BASE);
        this.json = json;
    }

    public int count(String text, String model) {
        return text == null || text.isEmpty() ? 0 : encoding(model).countTokensOrdinary(text);
    }

    /** The prompt tokens of a chat request: messages, tool calls and tool definitions. */
    public long prompt(ChatRequest r) {
        long total = 3;
        for (Message m : r.messages()) {
            total += 3;
            for (Part p : m.content()) {
                if (p instanceof Part.Text t) {
                    total += count(t.text(), r.model());
                } else {
                    total += IMAGE_TOKENS;
                }
            }
            for (ToolCall c : m.toolCalls()) {
                total += 3 + count(c.name(), r.model()) + count(c.arguments(), r.model());
            }
        }
        for (Tool t : r.tools()) {
            total += 8 + count(t.name(), r.model()) + count(t.description(), r.model());
            if (t.parameters() != null) {
                try {
                    total += count(json.writeValueAsString(t.parameters()), r.model());
                } catch (IOException ignored) {
                    // a schema that cannot be written is not counted
                }
            }
        }
        return total;
    }

    private Encoding encoding(String model) {
        String m = model == null ? "" : model.toLowerCase(java.util.Locale.ROOT);
        for (String prefix : O200K_FAMILIES) {
            if (m.startsWith(prefix)) {
                return o200k;
            }
        }
        return cl100k;
    }
}
