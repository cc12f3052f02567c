package dev.tollgate.gateway.api;

import dev.tollgate.gateway.GatewayConfiguration;
import dev.tollgate.gateway.model.JsonTrees;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads a request body as JSON: size limit (413), strict UTF-8 and well-formed JSON (400). */
@Singleton
public class RequestBodies {

    private final GatewayConfiguration configuration;
    private final JsonMapper json;

    public RequestBodies(GatewayConfiguration configuration, JsonMapper json) {
        this.configuration = configuration;
        this.json = json;
    }

    public JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty: send a JSON object", null);
        }
        if (body.length > configuration.maxBodyBytes()) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "invalid_request_error",
                    "the request body is larger than " + configuration.maxBodyBytes() + " bytes", null, "request_too_large", null, null);
        }
        if (!isValidUtf8(body)) {
            throw ApiException.badRequest("the request body is not valid UTF-8", null);
        }
        try {
            JsonNode node = JsonTrees.parse(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the request body must be a JSON object", null);
            }
            return node;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw ApiException.badRequest("the request body is not valid JSON", null);
        }
    }

    /** Strict UTF-8 check; an ASCII body (nearly every one) is accepted without decoding it. */
    private static boolean isValidUtf8(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Serialises a JSON tree. */
    public String write(JsonNode node) {
        return JsonTrees.write(node);
    }

    public JsonMapper mapper() {
        return json;
    }
}
