package dev.tollgate.gateway.guard;

import dev.tollgate.gateway.model.ChatRequest;
import dev.tollgate.gateway.model.Json;
import dev.tollgate.gateway.model.Message;
import dev.tollgate.gateway.model.ToolCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes the opt-in request log ({@code request_log}): the conversation and the answer with
 * personal data and secrets always replaced by placeholders, whatever the project's PII mode.
 * Rows are queued and written in batches by a thread of their own; when the queue is full a row
 * is dropped and counted ({@code tollgate.request_log.dropped}): the log is a convenience,
 * metering does not depend on it.
 */
@Singleton
public class RequestLog {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    /** One row to write. */
    public record Row(String requestId, Instant occurredAt, UUID tenantId, UUID projectId, @Nullable UUID keyId,
                      @Nullable String model, int status, String request, @Nullable String response) {
    }

    private final DataSource dataSource;
    private final JsonMapper json;
    private final GuardConfiguration configuration;
    private final BlockingQueue<Row> queue;
    private final Counter dropped;
    private final Thread writer;
    private volatile boolean running = true;

    public RequestLog(DataSource dataSource, JsonMapper json, GuardConfiguration configuration, MeterRegistry meters) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.json = json;
        this.configuration = configuration;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, configuration.logQueue()));
        this.dropped = Counter.builder("tollgate.request_log.dropped").description("request-log rows dropped (queue full)")
                .register(meters);
        this.writer = new Thread(this::drain, "tollgate-request-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues the redacted record of one request. */
    public void record(String requestId, Instant at, UUID tenantId, UUID projectId, @Nullable UUID keyId,
                       @Nullable String model, int status, ChatRequest request, @Nullable String answer) {
        List<JsonNode> messages = new ArrayList<>();
        for (Message m : request.messages()) {
            Json.Obj o = Json.obj().put("role", m.role().name().toLowerCase(Locale.ROOT))
                    .put("content", clip(PiiScanner.redact(m.text())));
            if (!m.toolCalls().isEmpty()) {
                List<JsonNode> calls = new ArrayList<>();
                for (ToolCall c : m.toolCalls()) {
                    calls.add(Json.obj().put("name", c.name()).put("arguments", clip(PiiScanner.redact(c.arguments()))).build());
                }
                o.put("tool_calls", Json.arr(calls));
            }
            messages.add(o.build());
        }
        String text;
        try {
            text = json.writeValueAsString(Json.obj().put("messages", Json.arr(messages)).build());
        } catch (IOException e) {
            return;
        }
        Row row = new Row(requestId, at, tenantId, projectId, keyId, model, status, text,
                answer == null ? null : clip(PiiScanner.redact(answer)));
        if (!queue.offer(row)) {
            dropped.increment();
        }
    }

    private String clip(String text) {
        return text.length() > configuration.logMaxChars() ? text.substring(0, configuration.logMaxChars()) + "…" : text;
    }

    private void drain() {
        List<Row> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Row first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 499);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Row> rows) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into request_log (request_id, occurred_at, tenant_id, project_id, api_key_id, model, status, request, response)
                     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (request_id) do nothing""")) {
            for (Row r : rows) {
                ps.setString(1, r.requestId());
                ps.setTimestamp(2, Timestamp.from(r.occurredAt()));
                ps.setObject(3, r.tenantId());
                ps.setObject(4, r.projectId());
                ps.setObject(5, r.keyId());
                ps.setString(6, r.model());
                ps.setInt(7, r.status());
                ps.setString(8, r.request());
                ps.setString(9, r.response());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            dropped.increment(rows.size());
            LOG.warn("request log rows could not be written: {}", e.getMessage());
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        writer.join(5_000);
    }
}
