package dev.tollgate.platform.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.tollgate.platform.simulator.SimClient.at;
import static dev.tollgate.platform.simulator.SimClient.json;
import static dev.tollgate.platform.simulator.SimClient.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageReportsTest {

    private static final Instant NOW = Instant.parse("2025-03-10T12:34:56Z");
    private static final long DAY = 86_400;
    private static final long TODAY = NOW.getEpochSecond() / DAY * DAY;
    private static final String[] OPENAI_AUTH = {"Authorization", "Bearer sk-admin-test"};
    private static final String[] ANTHROPIC_AUTH = {"x-api-key", "sk-ant-admin", "anthropic-version", "2023-06-01"};

    private UpstreamSimulator simulator;
    private SimClient client;

    @BeforeAll
    void start() {
        simulator = UpstreamSimulator.start(SimulatorSettings.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        client = new SimClient(simulator);
    }

    @AfterAll
    void stop() {
        simulator.close();
    }

    @Test
    void openAiCompletionsUsageReportsWhatWasServed() {
        simulator.resetServed();
        String longPrompt = "Reconciliation compares metered tokens with provider reports. ".repeat(150);
        long input = 0;
        long output = 0;
        long cached = 0;
        for (String model : List.of("gpt-4o", "gpt-4o", "gpt-4o-mini")) {
            Map<String, Object> body = json(client.post("/openai/v1/chat/completions", Json.obj("model", model,
                "messages", List.of(Json.obj("role", "user", "content", longPrompt))), OPENAI_AUTH));
            input += number(body, "usage", "prompt_tokens");
            output += number(body, "usage", "completion_tokens");
            cached += number(body, "usage", "prompt_tokens_details", "cached_tokens");
        }
        assertTrue(cached > 0);
        simulator.addFault(Fault.error("openai", 500).times(1));
        client.post("/openai/v1/chat/completions", Json.obj("model", "gpt-4o",
            "messages", List.of(Json.obj("role", "user", "content", "failed"))), OPENAI_AUTH);
        client.post("/openai/v1/embeddings", Json.obj("model", "text-embedding-3-small", "input", "not a completion"),
            OPENAI_AUTH);

        HttpResponse<String> response = client.get("/openai/v1/organization/usage/completions?start_time="
            + (TODAY - DAY) + "&bucket_width=1d&group_by=model", OPENAI_AUTH);
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> page = json(response);
        assertEquals("page", page.get("object"));
        List<Map<String, Object>> buckets = at(page, "data");
        assertEquals(2, buckets.size());
        assertEquals("bucket", buckets.get(0).get("object"));
        assertEquals(TODAY - DAY, number(buckets.get(0), "start_time"));
        assertEquals(List.of(), buckets.get(0).get("results"));
        assertEquals(TODAY, number(buckets.get(1), "start_time"));
        assertEquals(TODAY + DAY, number(buckets.get(1), "end_time"));
        List<Map<String, Object>> results = at(buckets.get(1), "results");
        assertEquals(2, results.size());
        Map<String, Object> gpt4o = results.stream().filter(r -> "gpt-4o".equals(r.get("model"))).findFirst().orElseThrow();
        assertEquals("organization.usage.completions.result", gpt4o.get("object"));
        assertEquals(2, number(gpt4o, "num_model_requests"));
        assertEquals(cached, number(gpt4o, "input_cached_tokens"));
        long reportedInput = results.stream().mapToLong(r -> number(r, "input_tokens")).sum();
        long reportedOutput = results.stream().mapToLong(r -> number(r, "output_tokens")).sum();
        assertEquals(input, reportedInput);
        assertEquals(output, reportedOutput);
        assertEquals(simulator.served().total("openai").inputTokens() - simulator.served()
            .stats("openai", "text-embedding-3-small").inputTokens(), reportedInput);

        Map<String, Object> ungrouped = json(client.get("/openai/v1/organization/usage/completions?start_time="
            + TODAY, OPENAI_AUTH));
        Map<String, Object> total = at(ungrouped, "data", 0, "results", 0);
        assertNull(total.get("model"));
        assertEquals(3, number(total, "num_model_requests"));
        assertEquals(input, number(total, "input_tokens"));

        Map<String, Object> embeddings = json(client.get("/openai/v1/organization/usage/embeddings?start_time="
            + TODAY, OPENAI_AUTH));
        assertEquals("organization.usage.embeddings.result", at(embeddings, "data", 0, "results", 0, "object"));
        assertEquals(1, number(embeddings, "data", 0, "results", 0, "num_model_requests"));
    }

    @Test
    void openAiUsagePagesThroughHourlyBuckets() {
        simulator.resetServed();
        Map<String, Object> body = json(client.post("/openai/v1/chat/completions", Json.obj("model", "gpt-4.1",
            "messages", List.of(Json.obj("role", "user", "content", "page me"))), OPENAI_AUTH));
        long start = NOW.getEpochSecond() / 3600 * 3600 - 30 * 3600;
        Map<String, Object> first = json(client.get("/openai/v1/organization/usage/completions?start_time=" + start
            + "&end_time=" + (NOW.getEpochSecond() + 1) + "&bucket_width=1h&limit=24&group_by=model", OPENAI_AUTH));
        assertEquals(24, ((List<?>) first.get("data")).size());
        assertEquals(true, first.get("has_more"));
        String next = (String) first.get("next_page");
        Map<String, Object> second = json(client.get("/openai/v1/organization/usage/completions?start_time=" + start
            + "&end_time=" + (NOW.getEpochSecond() + 1) + "&bucket_width=1h&limit=24&group_by=model&page=" + next,
            OPENAI_AUTH));
        assertFalse((Boolean) second.get("has_more"));
        List<Map<String, Object>> buckets = at(second, "data");
        assertEquals(7, buckets.size());
        Map<String, Object> last = buckets.get(buckets.size() - 1);
        assertEquals(number(body, "usage", "prompt_tokens"), number(last, "results", 0, "input_tokens"));

        assertEquals(400, client.get("/openai/v1/organization/usage/completions", OPENAI_AUTH).statusCode());
        assertEquals(400, client.get("/openai/v1/organization/usage/completions?start_time=1&bucket_width=1w",
            OPENAI_AUTH).statusCode());
        assertEquals(401, client.get("/openai/v1/organization/usage/completions?start_time=1").statusCode());
    }

    @Test
    void anthropicUsageReportSplitsCacheTokens() {
        simulator.resetServed();
        String system = "Cached instructions for the usage report test. ".repeat(80);
        long uncached = 0;
        long read = 0;
        long written = 0;
        long output = 0;
        for (String question : List.of("one", "two", "three")) {
            Map<String, Object> body = json(client.post("/anthropic/v1/messages", Json.obj("model", "claude-sonnet-4-5",
                "max_tokens", 100, "system", List.of(Json.obj("type", "text", "text", system,
                    "cache_control", Json.obj("type", "ephemeral"))),
                "messages", List.of(Json.obj("role", "user", "content", question))), ANTHROPIC_AUTH));
            uncached += number(body, "usage", "input_tokens");
            read += number(body, "usage", "cache_read_input_tokens");
            written += number(body, "usage", "cache_creation_input_tokens");
            output += number(body, "usage", "output_tokens");
        }
        json(client.post("/anthropic/v1/messages", Json.obj("model", "claude-haiku-4-5", "max_tokens", 10,
            "messages", List.of(Json.obj("role", "user", "content", "hi"))), ANTHROPIC_AUTH));

        HttpResponse<String> response = client.get("/anthropic/v1/organizations/usage_report/messages?starting_at="
            + Instant.ofEpochSecond(TODAY) + "&bucket_width=1d&group_by[]=model", ANTHROPIC_AUTH);
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> report = json(response);
        List<Map<String, Object>> buckets = at(report, "data");
        assertEquals(1, buckets.size());
        assertEquals(Instant.ofEpochSecond(TODAY).toString(), buckets.get(0).get("starting_at"));
        assertEquals(Instant.ofEpochSecond(TODAY + DAY).toString(), buckets.get(0).get("ending_at"));
        List<Map<String, Object>> results = at(buckets.get(0), "results");
        assertEquals(2, results.size());
        Map<String, Object> sonnet = results.stream().filter(r -> "claude-sonnet-4-5".equals(r.get("model")))
            .findFirst().orElseThrow();
        assertEquals(uncached, number(sonnet, "uncached_input_tokens"));
        assertEquals(read, number(sonnet, "cache_read_input_tokens"));
        assertEquals(written, number(sonnet, "cache_creation", "ephemeral_5m_input_tokens"));
        assertEquals(0, number(sonnet, "cache_creation", "ephemeral_1h_input_tokens"));
        assertEquals(output, number(sonnet, "output_tokens"));
        assertEquals(2 * written, read, "two reads of the prefix written once");
        assertEquals(false, report.get("has_more"));

        Map<String, Object> filtered = json(client.get("/anthropic/v1/organizations/usage_report/messages?starting_at="
            + Instant.ofEpochSecond(TODAY) + "&models[]=claude-haiku-4-5", ANTHROPIC_AUTH));
        Map<String, Object> haiku = at(filtered, "data", 0, "results", 0);
        assertNull(haiku.get("model"));
        assertEquals(simulator.served().stats("anthropic", "claude-haiku-4-5").outputTokens(),
            number(haiku, "output_tokens"));

        assertEquals(400, client.get("/anthropic/v1/organizations/usage_report/messages", ANTHROPIC_AUTH).statusCode());
        assertEquals(401, client.get("/anthropic/v1/organizations/usage_report/messages?starting_at="
            + Instant.ofEpochSecond(TODAY), "anthropic-version", "2023-06-01").statusCode());
    }
}
