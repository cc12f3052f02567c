package dev.tollgate.gateway.cache;

import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.Message;
import dev.tollgate.gateway.model.Part;
import dev.tollgate.gateway.model.Role;
import dev.tollgate.gateway.provider.openai.OpenAiCodec;
import dev.tollgate.gateway.route.RouteConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Cache keys. A request is normalised to the fields that change the answer (the neutral request
 * as OpenAI JSON, object keys sorted, without {@code user} and the streaming flags) and hashed
 * with SHA-256 together with the tenant, the route's targets and, for the exact cache, the
 * response's wire shape. Equal requests from one tenant share a key on every replica; nothing is
 * ever shared between tenants.
 */
@Singleton
public class CacheKeys {

    private static final Set<String> IGNORED = Set.of("user", "stream", "stream_options");

    private final JsonMapper json;

    public CacheKeys(JsonMapper json) {
        this.json = json;
    }

    /**
     * The exact cache key.
     *
     * @param shape how the answer is written: inbound format, streamed or not, usage chunk or not
     */
    public String exact(UUID tenantId, String shape, RouteConfig route, ChatRequest request) {
        return sha256("exact", tenantId.toString(), shape, targets(route), canonical(request, false));
    }

    /**
     * The semantic bucket of a request: everything but the question, so that only answers to the
     * same model, system prompt, parameters and earlier turns are compared.
     */
    public String semanticBucket(UUID tenantId, RouteConfig route, ChatRequest request) {
        // "v2": vectors of questions normalised before embedding (SemanticCache.normalise) are not compared with older ones
        return sha256("semantic-v2", tenantId.toString(), targets(route), canonical(request, true));
    }

    /**
     * The text whose embedding is compared: the last user message, or null when the semantic
     * cache does not apply (images, tools, several choices, or more than one user turn unless
     * {@code multiTurn}).
     */
    @Nullable
    public static String question(ChatRequest request, boolean multiTurn) {
        if (!request.tools().isEmpty() || request.n() != 1) {
            return null;
        }
        List<Message> messages = request.messages();
        Message last = messages.get(messages.size() - 1);
        if (last.role() != Role.USER || last.content().stream().anyMatch(p -> !(p instanceof Part.Text))) {
            return null;
        }
        if (!multiTurn && messages.stream().anyMatch(m -> m != last && m.role() != Role.SYSTEM)) {
            return null;
        }
        String text = last.text().strip();
        return text.isEmpty() ? null : text;
    }

    private String canonical(ChatRequest request, boolean withoutQuestion) {
        ChatRequest r = request;
        if (withoutQuestion) {
            List<Message> messages = new ArrayList<>(request.messages());
            messages.remove(messages.size() - 1);
            r = new ChatRequest(request.model(), messages, request.tools(), request.toolChoice(), request.maxTokens(),
                    request.temperature(), request.topP(), request.stop(), request.n(), null, request.responseFormat(),
                    false, request.extra());
        }
        JsonNode node = OpenAiCodec.encodeRequest(r.withStream(false));
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.entries()) {
            if (!IGNORED.contains(e.getKey())) {
                fields.put(e.getKey(), e.getValue());
            }
        }
        return write(sorted(JsonNode.createObjectNode(fields)));
    }

    private String targets(RouteConfig route) {
        List<JsonNode> out = new ArrayList<>();
        for (RouteConfig.Target t : route.targets()) {
            Map<String, JsonNode> o = new TreeMap<>();
            o.put("p", JsonNode.createStringNode(t.provider()));
            o.put("m", t.model() == null ? JsonNode.nullNode() : JsonNode.createStringNode(t.model()));
            o.put("o", sorted(JsonNode.createObjectNode(new LinkedHashMap<>(t.overrideParams()))));
            out.add(JsonNode.createObjectNode(o));
        }
        return write(JsonNode.createArrayNode(out));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.entries()) {
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            return JsonNode.createObjectNode(fields);
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.values().forEach(v -> items.add(sorted(v)));
            return JsonNode.createArrayNode(items);
        }
        return node;
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
                // length-prefixed, so that no two different part lists hash the same bytes
                md.update(new byte[]{(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8), (byte) bytes.length});
                md.update(bytes);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
