package dev.tollgate.platform.simulator;

import dev.tollgate.platform.http.ErrorBody;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.util.Map;

/**
 * The simulator's own control API: {@code /faults}, {@code /served}, {@code /config} and
 * {@code /health}. Bad input answers 400 in Tollgate's {@link ErrorBody} shape.
 */
final class ControlHandler {

    private final Simulation sim;

    ControlHandler(Simulation sim) {
        this.sim = sim;
    }

    boolean handle(HttpCall call) throws IOException {
        switch (call.method() + " " + call.path()) {
            case "GET /health" -> call.json(200, Map.of("status", "UP"));
            case "GET /served" -> call.json(200, sim.ledger.snapshot());
            case "DELETE /served" -> {
                sim.ledger.reset();
                call.json(200, sim.ledger.snapshot());
            }
            case "GET /faults" -> call.json(200, Map.of("faults", sim.faults.list()));
            case "DELETE /faults" -> {
                sim.faults.clear();
                call.json(200, Map.of("faults", sim.faults.list()));
            }
            case "POST /faults" -> addFault(call);
            case "GET /config" -> call.json(200, sim.timing());
            case "POST /config" -> configure(call);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void addFault(HttpCall call) throws IOException {
        try {
            Map<String, Object> body = Json.readObject(call.body());
            String modeName = body.get("mode") == null ? "error" : Json.string(body, "mode");
            FaultMode mode = modeName == null ? null : FaultMode.fromWire(modeName).orElse(null);
            if (mode == null) {
                throw new Json.Invalid("mode", "mode must be one of error, timeout, drop_mid_stream, malformed");
            }
            Integer status = Json.integer(body, "status");
            Fault fault = new Fault(Json.string(body, "provider"), Json.string(body, "model"),
                status != null ? status : (mode == FaultMode.ERROR ? 500 : 0),
                Json.integer(body, "count"), number(body, "rate"), longValue(body, "latency_ms"), mode,
                Json.integer(body, "retry_after_seconds"));
            call.json(201, sim.faults.add(fault));
        } catch (Json.Malformed e) {
            call.json(400, ErrorBody.of(e.getMessage(), "invalid_request_error", null, "malformed_json"));
        } catch (Json.Invalid e) {
            call.json(400, ErrorBody.of(e.getMessage(), "invalid_request_error", e.param(), "invalid_fault"));
        } catch (IllegalArgumentException e) {
            call.json(400, ErrorBody.of(e.getMessage(), "invalid_request_error", null, "invalid_fault"));
        }
    }

    private void configure(HttpCall call) throws IOException {
        try {
            Map<String, Object> body = Json.readObject(call.body());
            Timing current = sim.timing();
            Long latency = longValue(body, "latency_ms");
            Long jitter = longValue(body, "jitter_ms");
            Long chunkDelay = longValue(body, "chunk_delay_ms");
            Timing next = new Timing(latency == null ? current.latencyMs() : latency,
                jitter == null ? current.jitterMs() : jitter,
                chunkDelay == null ? current.chunkDelayMs() : chunkDelay);
            sim.timing(next);
            call.json(200, next);
        } catch (Json.Malformed e) {
            call.json(400, ErrorBody.of(e.getMessage(), "invalid_request_error", null, "malformed_json"));
        } catch (Json.Invalid e) {
            call.json(400, ErrorBody.of(e.getMessage(), "invalid_request_error", e.param(), "invalid_config"));
        } catch (IllegalArgumentException e) {
            call.json(400, ErrorBody.of(e.getMessage(), "invalid_request_error", null, "invalid_config"));
        }
    }

    @Nullable
    private static Double number(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new Json.Invalid(key, "'" + key + "' must be a number");
    }

    @Nullable
    private static Long longValue(Map<String, Object> body, String key) {
        Integer value = Json.integer(body, key);
        return value == null ? null : value.longValue();
    }
}
