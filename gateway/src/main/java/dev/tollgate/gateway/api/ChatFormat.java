package dev.tollgate.gateway.api;

import dev.tollgate.gateway.GatewayErrors;
import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatResponse;
import dev.tollgate.platform.http.ApiException;
import io.micronaut.http.sse.Event;

import java.util.List;

/** How an inbound API format writes answers: a JSON body, or a stream of server-sent events. */
interface ChatFormat {

    GatewayErrors.Shape shape();

    /** Names the wire shape of the answers (format and options), for cache keys: equal names, equal bytes. */
    String variant();

    /** The JSON body of a complete answer. */
    String body(ChatResponse response, String model);

    /** A writer for one streamed answer. */
    StreamWriter stream(String model);

    /** Writes one streamed answer; one instance per stream. */
    interface StreamWriter {

        List<Event<String>> encode(ChatEvent event);

        /** The events that close a stream that ended normally. */
        List<Event<String>> finish();

        /** The event that reports an error after the stream began. */
        Event<String> error(ApiException error);
    }
}
