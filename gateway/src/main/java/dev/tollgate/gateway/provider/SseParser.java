package dev.tollgate.gateway.provider;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental parser of a {@code text/event-stream} body: feed it network chunks as they come
 * (an event or even a UTF-8 character may be split across chunks) and it returns the events
 * completed so far. Not thread-safe: one parser per stream.
 */
public final class SseParser {

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private String event;
    private StringBuilder data;
    private boolean lastWasCr;

    /** Consumes a chunk, returns the events it completed. */
    public List<SseEvent> feed(byte[] chunk) {
        List<SseEvent> out = new ArrayList<>(2);
        for (byte b : chunk) {
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                endLine(out);
            } else {
                line.write(b);
            }
        }
        return out;
    }

    /** Ends the stream: an event not followed by a blank line is still delivered. */
    public List<SseEvent> finish() {
        List<SseEvent> out = new ArrayList<>(1);
        if (line.size() > 0) {
            endLine(out);
        }
        dispatch(out);
        return out;
    }

    private void endLine(List<SseEvent> out) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            dispatch(out);
            return;
        }
        if (text.startsWith(":")) {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (field.equals("data")) {
            if (data == null) {
                data = new StringBuilder(value);
            } else {
                data.append('\n').append(value);
            }
        } else if (field.equals("event")) {
            event = value;
        }
    }

    private void dispatch(List<SseEvent> out) {
        if (data != null) {
            out.add(new SseEvent(event, data.toString()));
        }
        data = null;
        event = null;
    }
}
