package dev.tollgate.platform.simulator;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

import java.util.Locale;

/**
 * Real BPE token counts: {@code o200k_base} for the GPT-4o, GPT-4.1, GPT-5 and o-series families,
 * {@code cl100k_base} for everything else. Claude and Gemini prompts are counted with the same
 * encodings; the simulator needs stable, realistic counts, not the vendors' private tokenizers.
 */
final class Tokenizer {

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final String[] O200K_PREFIXES = {
        "gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "gpt-oss", "o1", "o3", "o4"
    };

    private Tokenizer() {
    }

    /** Loads both encodings (several seconds on a busy machine) so that the first request does not wait. */
    static void warmUp() {
        count("gpt-4o", "warm up");
        count("gpt-4", "warm up");
    }

    static Encoding forModel(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        for (String prefix : O200K_PREFIXES) {
            if (name.startsWith(prefix)) {
                return REGISTRY.getEncoding(EncodingType.O200K_BASE);
            }
        }
        return REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    }

    static int count(String model, String text) {
        return text.isEmpty() ? 0 : forModel(model).countTokensOrdinary(text);
    }

    static int[] encode(String model, String text) {
        return forModel(model).encodeOrdinary(text).toArray();
    }

    /** The longest prefix of {@code text} that is at most {@code maxTokens} tokens. */
    static String truncate(String model, String text, int maxTokens) {
        Encoding encoding = forModel(model);
        IntArrayList tokens = encoding.encodeOrdinary(text);
        if (tokens.size() <= maxTokens) {
            return text;
        }
        IntArrayList head = new IntArrayList(maxTokens);
        for (int i = 0; i < maxTokens; i++) {
            head.add(tokens.get(i));
        }
        return encoding.decode(head);
    }
}
