package dev.tollgate.gateway.meter;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestTraceTest {

    private final RequestTrace trace = new RequestTrace("req_test", UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            "chat", false);

    @Test
    void aFailureBeforeTheMeterTookTheTraceCounts() {
        trace.failed(499, "client_disconnected");
        assertTrue(trace.complete());
        assertEquals(499, trace.status());
    }

    @Test
    void aLateCancelCannotTurnAServedRequestIntoAFailedOne() {
        int served = trace.status();
        assertTrue(trace.complete(), "handed to the meter");
        trace.failed(499, "client_disconnected");
        assertEquals(served, trace.status());
        assertFalse(trace.complete(), "recorded once");
    }
}
