package dev.tollgate.billing.price;

import dev.tollgate.billing.testing.Http;
import dev.tollgate.platform.price.PriceFile;
import dev.tollgate.platform.price.Quote;
import dev.tollgate.platform.testing.RealServices;
import dev.tollgate.platform.usage.TokenUsage;
import dev.tollgate.platform.usage.extract.UsageExtractors;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PricesAdminTest implements RealServices {

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    CatalogPriceBook priceBook;
    @Inject
    PriceImporter importer;
    DataSource dataSource;
    @Inject
    JsonMapper json;
    @Inject
    UsageExtractors extractors;

    private static final Instant AT = Instant.parse("2026-03-10T12:00:00Z");
    private static final TokenUsage USAGE = new TokenUsage(1_000_000, 0, 0, 100_000, 0);

    @Inject
    void dataSource(DataSource contextual) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(contextual);
    }

    private UUID tenant(String markup) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into tenant (id, name, markup) values (?, 'T', ?)")) {
            ps.setObject(1, id);
            ps.setBigDecimal(2, new BigDecimal(markup));
            ps.executeUpdate();
        }
        return id;
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }

    @Test
    void importIsIdempotentAndKeepsTheSourceCommit() throws Exception {
        long first = importer.importBundled();
        long second = importer.importBundled();
        assertEquals(first, second);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select s.source_commit, s.model_count, (select count(*) from price_model m where m.source_id = s.id),
                            (select count(*) from price_row r where r.source_id = s.id and r.starts_on is not null),
                            (select count(*) from price_row r where r.source_id = s.id and r.daily_from is not null),
                            (select count(*) from price_source)
                       from price_source s""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals("47df840a5ab10bbcffb8e5ac01b9899032245d1b", rs.getString(1));
            assertEquals(rs.getInt(2), rs.getInt(3));
            assertTrue(rs.getInt(3) > 1000);
            assertTrue(rs.getInt(4) > 0, "start-date constrained prices imported");
            assertEquals(2, rs.getInt(5), "deepseek's daily windows imported");
            assertEquals(1, rs.getInt(6));
        }
    }

    @Test
    void quoteAppliesTheTenantMarkupAndNamesThePriceRow() throws Exception {
        UUID t = tenant("1.25");
        // after the other tests' override windows
        Quote q = priceBook.quote("openai", "gpt-4o", USAGE, Instant.parse("2026-05-10T12:00:00Z"), t);
        assertTrue(q.priced());
        assertAmount("3.5", q.costUsd()); // 1M × $2.50 + 0.1M × $10
        assertAmount("4.375", q.billedUsd());
        assertEquals(CatalogPriceBook.SCALE, q.costUsd().scale());
        assertEquals("genai-prices@47df840:openai/gpt-4o", q.priceRef());
        Quote deepseekPeak = priceBook.quote("deepseek", "deepseek-chat", USAGE, Instant.parse("2026-03-10T10:00:00Z"), null);
        Quote deepseekOff = priceBook.quote("deepseek", "deepseek-chat", USAGE, Instant.parse("2026-03-10T20:00:00Z"), null);
        assertAmount("0.38", deepseekPeak.costUsd()); // 0.27 + 0.1 × 1.1
        assertAmount("0.19", deepseekOff.costUsd()); // 0.135 + 0.1 × 0.55
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void overridesReplacePricesByModelProviderAndTenantWithinTheirDates() throws Exception {
        UUID t = tenant("1.0");
        UUID other = tenant("1.0");
        var client = http.toBlocking();
        HttpResponse<Map> model = Http.exchange(client, Http.admin(HttpRequest.POST("/admin/v1/prices/overrides", """
                {"provider_id":"OpenAI","model_id":"gpt-4o","prices":{"input_mtok":2.0},
                 "effective_from":"2026-03-01T00:00:00Z","effective_to":"2026-04-01T00:00:00Z","note":"negotiated"}""")));
        assertEquals(HttpStatus.CREATED, model.getStatus());
        String modelId = (String) model.body().get("id");
        HttpResponse<Map> tenantWide = Http.exchange(client, Http.admin(HttpRequest.POST("/admin/v1/prices/overrides",
                "{\"provider_id\":\"openai\",\"tenant_id\":\"" + t + "\",\"prices\":{\"output_mtok\":{\"base\":5,\"tiers\":[]}},"
                        + "\"effective_from\":\"2026-01-01T00:00:00Z\"}")));
        assertEquals(HttpStatus.CREATED, tenantWide.getStatus(), () -> String.valueOf(tenantWide.body()));

        // model override in its window: input 2.0 instead of 2.5, output from the table
        assertAmount("3.0", priceBook.quote("openai", "gpt-4o-2024-08-06", USAGE, AT, other).costUsd());
        assertTrue(priceBook.quote("openai", "gpt-4o", USAGE, AT, other).priceRef().startsWith("override:" + modelId + "+genai-prices"));
        // outside its window: the table
        assertAmount("3.5", priceBook.quote("openai", "gpt-4o", USAGE, Instant.parse("2026-04-01T00:00:00Z"), other).costUsd());
        // the tenant's provider-wide override is more specific than the model override: output 5, input from the table
        assertAmount("3.0", priceBook.quote("openai", "gpt-4o", USAGE, AT, t).costUsd());
        assertAmount("0.65", priceBook.quote("openai", "gpt-4o-mini", USAGE, AT, t).costUsd()); // 0.15 + 0.1 × 5

        HttpResponse<Map> updated = Http.exchange(client, Http.admin(HttpRequest.PUT("/admin/v1/prices/overrides/" + modelId, """
                {"provider_id":"openai","model_id":"gpt-4o","prices":{"input_mtok":1.0},"effective_from":"2026-03-01T00:00:00Z"}""")));
        assertEquals(HttpStatus.OK, updated.getStatus());
        assertAmount("2.0", priceBook.quote("openai", "gpt-4o", USAGE, AT, other).costUsd());
        HttpResponse<Map> list = Http.exchange(client, Http.admin(HttpRequest.GET("/admin/v1/prices/overrides")));
        assertEquals(2, ((List) list.body().get("data")).size());

        HttpResponse<Map> lookup = Http.exchange(client, Http.admin(HttpRequest.GET(
                "/admin/v1/prices?provider=openai&model=gpt-4o&at=2026-03-10T12:00:00Z")));
        assertEquals(1.0, ((Number) ((Map) lookup.body().get("prices")).get("input_mtok")).doubleValue());
        assertEquals("gpt-4o", lookup.body().get("matched_model"));

        assertEquals(HttpStatus.NO_CONTENT, Http.exchange(client, Http.admin(HttpRequest.DELETE("/admin/v1/prices/overrides/" + modelId))).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, Http.exchange(client, Http.admin(HttpRequest.GET("/admin/v1/prices/overrides/" + modelId))).getStatus());
        assertAmount("3.5", priceBook.quote("openai", "gpt-4o", USAGE, AT, other).costUsd());
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void anOverrideCanPriceAModelTheTableDoesNotKnow() {
        Quote before = priceBook.quote("acme", "acme-large", USAGE, AT, null);
        assertFalse(before.priced());
        assertNull(before.costUsd());
        HttpResponse<Map> created = Http.exchange(http.toBlocking(), Http.admin(HttpRequest.POST("/admin/v1/prices/overrides", """
                {"provider_id":"acme","model_id":"acme-large","prices":{"input_mtok":1,"output_mtok":2,"requests_kcount":1},
                 "effective_from":"2026-01-01T00:00:00Z"}""")));
        assertEquals(HttpStatus.CREATED, created.getStatus());
        Quote after = priceBook.quote("acme", "acme-large", USAGE, AT, null);
        assertAmount("1.201", after.costUsd()); // 1 + 0.1 × 2 + 1/1000 per request
        assertEquals("override:" + created.body().get("id"), after.priceRef());
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void unpricedModelsAreFlaggedAndReported() {
        Quote q = priceBook.quote("openai", "gpt-unknown-7", USAGE, AT, null);
        assertFalse(q.priced());
        assertTrue(q.priceRef().contains("gpt-unknown-7"));
        HttpResponse<Map> report = Http.exchange(http.toBlocking(), Http.admin(HttpRequest.GET("/admin/v1/prices/unpriced")));
        List<Map> rows = (List<Map>) report.body().get("data");
        assertTrue(rows.stream().anyMatch(r -> "gpt-unknown-7".equals(r.get("model")) && ((Number) r.get("lookups_since_start")).longValue() >= 1));
    }

    @Test
    @SuppressWarnings("rawtypes")
    void badOverridesAreRefusedWithFieldErrors() {
        var client = http.toBlocking();
        HttpResponse<Map> r = Http.exchange(client, Http.admin(HttpRequest.POST("/admin/v1/prices/overrides", """
                {"model_id":"gpt-4o","prices":{"input_mtokens":1},"tenant_id":"00000000-0000-0000-0000-000000000001",
                 "effective_from":"2026-03-01T00:00:00Z","effective_to":"2026-02-01T00:00:00Z"}""")));
        assertEquals(HttpStatus.BAD_REQUEST, r.getStatus());
        Map fields = (Map) Http.error(r).get("fields");
        assertTrue(fields.containsKey("provider_id"));
        assertTrue(fields.containsKey("prices"));
        assertTrue(fields.containsKey("effective_to"));
        assertTrue(fields.containsKey("tenant_id"));
        assertEquals(HttpStatus.NOT_FOUND, Http.exchange(client, Http.admin(HttpRequest.PUT("/admin/v1/prices/overrides/" + UUID.randomUUID(),
                "{\"provider_id\":\"openai\",\"prices\":{\"input_mtok\":1}}"))).getStatus());
        assertEquals(HttpStatus.NOT_FOUND, Http.exchange(client, Http.admin(HttpRequest.DELETE("/admin/v1/prices/overrides/not-a-uuid"))).getStatus());
        assertEquals(HttpStatus.UNAUTHORIZED, Http.exchange(client, HttpRequest.GET("/admin/v1/prices/overrides")).getStatus());
    }

    /** The shared extractors are the bundled price file's, every provider's in table order. */
    @Test
    void platformExtractorsAreThePriceFilesOwn() throws Exception {
        JsonNode file = json.readValue(PriceImporter.resource(PriceFile.PATH), JsonNode.class);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (JsonNode p : file.values()) {
            List<String> flavors = new ArrayList<>();
            if (p.get("extractors") != null) {
                p.get("extractors").values().forEach(e -> flavors.add(e.get("api_flavor") == null ? "default" : e.get("api_flavor").getStringValue()));
            }
            expected.put(p.get("id").getStringValue(), flavors);
        }
        assertEquals(expected, extractors.allFlavors());
        assertTrue(expected.get("openai").containsAll(List.of("chat", "responses")));
    }
}
