package dev.tollgate.platform.simulator;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** One provider's wire format: its routes, its error shape and what a malformed answer looks like. */
abstract class ProviderHandler {

    final Simulation sim;

    ProviderHandler(Simulation sim) {
        this.sim = sim;
    }

    /** Answers the call when the path belongs to this provider; returns false for an unknown path. */
    abstract boolean handle(HttpCall call) throws IOException;

    /** The provider's error body for {@code status}. */
    abstract Map<String, Object> errorBody(int status, String message, @Nullable String param);

    /** The message a real provider sends with an injected error status. */
    abstract String faultMessage(int status, String model);

    /** The start of a valid answer, cut off so that it is not valid JSON. */
    abstract String malformedJson();

    /** Stream events whose data is not valid JSON. */
    abstract String malformedEvents();

    /** Extra headers on every answer (request ids). */
    Map<String, String> answerHeaders() {
        return Map.of();
    }

    void error(HttpCall call, int status, String message, @Nullable String param) throws IOException {
        call.json(status, errorBody(status, message, param), answerHeaders());
    }

    /** Answers with an error and records it against the model. */
    void fail(HttpCall call, String provider, String api, String model, boolean streamed, int status,
              String message, @Nullable String param) throws IOException {
        sim.ledger.record(Delivery.failed(provider, api, model, streamed));
        error(call, status, message, param);
    }

    /**
     * Applies an error, timeout or malformed fault. Returns true when the fault answered the
     * request; a drop fault (or none) leaves the answer to the caller.
     */
    boolean answerFault(HttpCall call, String provider, String api, String model, boolean streamed,
                        Optional<Fault> fault) throws IOException {
        if (fault.isEmpty() || fault.get().mode() == FaultMode.DROP_MID_STREAM) {
            return false;
        }
        Fault f = fault.get();
        sim.ledger.record(Delivery.failed(provider, api, model, streamed));
        switch (f.mode()) {
            case TIMEOUT -> {
                Simulation.sleep(f.latencyMs() == null ? Fault.DEFAULT_TIMEOUT_MS : f.latencyMs());
                call.drop();
            }
            case ERROR -> {
                sim.awaitFirstByte(fault);
                Map<String, String> headers = new java.util.HashMap<>(answerHeaders());
                if (f.retryAfterSeconds() != null) {
                    headers.put("Retry-After", String.valueOf(f.retryAfterSeconds()));
                }
                call.json(f.status(), errorBody(f.status(), faultMessage(f.status(), model), null), headers);
            }
            case MALFORMED -> {
                sim.awaitFirstByte(fault);
                if (streamed) {
                    call.send(200, "text/event-stream; charset=utf-8",
                        malformedEvents().getBytes(StandardCharsets.UTF_8), answerHeaders());
                } else {
                    call.send(200, "application/json", malformedJson().getBytes(StandardCharsets.UTF_8),
                        answerHeaders());
                }
            }
            default -> throw new IllegalStateException("unhandled fault mode " + f.mode());
        }
        return true;
    }

    static boolean dropping(Optional<Fault> fault) {
        return fault.isPresent() && fault.get().mode() == FaultMode.DROP_MID_STREAM;
    }
}
