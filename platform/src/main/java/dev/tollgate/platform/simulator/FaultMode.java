package dev.tollgate.platform.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an injected {@link Fault} does to the request it hits. */
public enum FaultMode {
    /** Answer with the fault's status in the provider's error shape. */
    ERROR,
    /** Hold the request open for the fault's latency (default 30 s), then close the connection without an answer. */
    TIMEOUT,
    /** Start the answer, send a few chunks, then drop the connection. */
    DROP_MID_STREAM,
    /** Answer 200 with a body that is not valid JSON (or SSE events whose data is not valid JSON). */
    MALFORMED;

    /** The name used on the wire, e.g. {@code drop_mid_stream}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FaultMode> fromWire(String value) {
        return Arrays.stream(values()).filter(mode -> mode.wireName().equalsIgnoreCase(value)).findFirst();
    }
}
