package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.model.ChatEvent;
import dev.tollgate.gateway.model.ChatRequest;
import org.reactivestreams.Publisher;

/**
 * A provider that streams answers. The publisher emits neutral events as the upstream sends
 * them and always asks the upstream for usage, so that a
 * {@link dev.tollgate.gateway.model.ChatEvent.Usage} ends the stream whenever the upstream
 * can report one. Cancelling the subscription closes the upstream connection.
 */
public interface StreamingChat {

    Publisher<ChatEvent> stream(ChatRequest request);
}
