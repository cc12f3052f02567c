package dev.tollgate.billing.budget;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.tollgate.billing.rollup.UsageRollupWorker;
import dev.tollgate.billing.testing.Fixtures;
import dev.tollgate.billing.testing.Http;
import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.testing.RealServices;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Budgets over HTTP, threshold e-mails delivered once each over real SMTP (GreenMail). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BudgetAlertMailTest implements RealServices {

    static final int SMTP_PORT = freePort();
    final GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("tollgate.billing.worker-interval", "1h",
                "tollgate.mail.smtp.host", "127.0.0.1",
                "tollgate.mail.smtp.port", String.valueOf(SMTP_PORT),
                "tollgate.mail.poll-interval", "200ms",
                "tollgate.mail.retry-backoff", "200ms");
    }

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    UsageRollupWorker worker;

    @Inject
    Fixtures f;
    UUID tenant;
    UUID project;
    UUID key;
    UUID other;

    @BeforeAll
    void start() {
        smtp.start();
        tenant = f.tenant("1.0", "Europe/Berlin");
        project = f.project(tenant);
        key = f.key(tenant, project);
        other = f.tenant("1.0", "UTC");
    }

    @AfterAll
    void stop() {
        smtp.stop();
    }

    @SuppressWarnings("rawtypes")
    private HttpResponse<Map> put(String path, Role role, String body) {
        return Http.exchange(http.toBlocking(), HttpRequest.PUT(path, body).bearerAuth(f.token(tenant, role)));
    }

    @Test
    @Order(1)
    @SuppressWarnings("rawtypes")
    void budgetsAreSetByAdminsAndHardCapsReachTheGatewayLimits() {
        HttpResponse<Map> r = put("/api/v1/budget", Role.ADMIN,
                "{\"monthly_usd\":1.00,\"alert_emails\":[\"ops@example.com\",\"cfo@example.com\"],\"hard_cap\":true}");
        assertEquals(HttpStatus.OK, r.getStatus(), () -> String.valueOf(r.body()));
        assertEquals(3, ((List) r.body().get("thresholds")).size());
        assertEquals(0, new BigDecimal("1.00").compareTo(new BigDecimal(f.text("select limits->>'budget_usd_per_month' from tenant where id = ?", tenant))));

        assertEquals(HttpStatus.OK, put("/api/v1/keys/" + key + "/budget", Role.OWNER,
                "{\"monthly_usd\":5,\"thresholds\":[1.0],\"hard_cap\":true}").getStatus());
        assertEquals("5", f.text("select limits->>'budget_usd_per_month' from api_key where id = ?", key));
        assertEquals(HttpStatus.OK, put("/api/v1/keys/" + key + "/budget", Role.OWNER,
                "{\"monthly_usd\":5,\"thresholds\":[1.0],\"hard_cap\":false}").getStatus());
        assertNull(f.text("select limits->>'budget_usd_per_month' from api_key where id = ?", key));

        assertEquals(HttpStatus.FORBIDDEN, put("/api/v1/budget", Role.MEMBER, "{\"monthly_usd\":2}").getStatus());
        HttpResponse<Map> bad = put("/api/v1/projects/" + project + "/budget", Role.ADMIN,
                "{\"monthly_usd\":-1,\"thresholds\":[0,20],\"alert_emails\":[\"not-an-address\"]}");
        assertEquals(HttpStatus.BAD_REQUEST, bad.getStatus());
        Map fields = (Map) Http.error(bad).get("fields");
        assertEquals(3, fields.size());
        assertEquals("up to 20 valid e-mail addresses", fields.get("alert_emails"), "the rule the portal's form shows too");
        HttpResponse<Map> normalized = put("/api/v1/projects/" + project + "/budget", Role.ADMIN,
                "{\"monthly_usd\":100.00,\"thresholds\":[1.0,0.5,0.50],\"alert_emails\":[\" ops@example.com\",\"ops@example.com\"]}");
        assertEquals(HttpStatus.OK, normalized.getStatus(), () -> String.valueOf(normalized.body()));
        assertEquals(List.of("0.5", "1"), ((List<?>) normalized.body().get("thresholds")).stream()
                        .map(t -> new BigDecimal(String.valueOf(t)).stripTrailingZeros().toPlainString()).toList(),
                () -> String.valueOf(normalized.body()));
        assertEquals(List.of("ops@example.com"), normalized.body().get("alert_emails"));
        UUID foreignProject = f.project(other);
        assertEquals(HttpStatus.NOT_FOUND, put("/api/v1/projects/" + foreignProject + "/budget", Role.OWNER, "{\"monthly_usd\":2}").getStatus());
        assertEquals(HttpStatus.NOT_FOUND, Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/projects/" + foreignProject + "/budget")
                .bearerAuth(f.token(tenant, Role.VIEWER))).getStatus());
        HttpResponse<Map> view = Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/budget").bearerAuth(f.token(tenant, Role.VIEWER)));
        assertEquals(HttpStatus.OK, view.getStatus());
        assertTrue(((String) view.body().get("period_start")).endsWith("T23:00:00Z"), "Berlin month starts at 23:00 or 22:00 UTC");
    }

    @Test
    @Order(2)
    void fiftyConcurrentRequestsCrossingThresholdsSendEachAlertOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < 50; i++) {
            done.add(pool.submit(() -> {
                go.await();
                // gpt-4o: 10,000 input tokens × $2.50/MTok = $0.025; 50 of them = $1.25 = 125 % of $1.00
                f.event(tenant, project, key, "openai", "gpt-4o", now, 10_000, 0, 0, 0);
                worker.runOnce();
                return null;
            }));
        }
        go.countDown();
        for (Future<?> d : done) {
            d.get();
        }
        pool.shutdown();
        worker.runOnce();
        assertTrue(smtp.waitForIncomingEmail(15_000, 3), "3 alerts");
        Thread.sleep(1_500);
        worker.runOnce();
        Thread.sleep(1_000);
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(6, received.length, () -> Arrays.toString(subjects(received)));
        List<String> subjects = Arrays.stream(subjects(received)).distinct().sorted().toList();
        assertEquals(3, subjects.size());
        assertTrue(subjects.get(0).contains("100%"), subjects.toString());
        assertTrue(subjects.get(1).contains("50%"));
        assertTrue(subjects.get(2).contains("80%"));
        assertTrue(received[0].getContent() instanceof MimeMultipart, "HTML and text alternatives");
        assertEquals("3", f.text("select count(*) from mail_outbox where kind = 'budget_alert' and status = 'sent'"));
        assertEquals("0", f.text("select count(*) from mail_outbox where status <> 'sent'"));
    }

    @Test
    @Order(3)
    @SuppressWarnings({"rawtypes", "unchecked"})
    void theTenantSeesItsMailsInItsMailboxAndOperatorsSeeTheOutbox() {
        HttpResponse<Map> mine = Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/mailbox").bearerAuth(f.token(tenant, Role.VIEWER)));
        assertEquals(3, ((List) mine.body().get("data")).size());
        HttpResponse<Map> theirs = Http.exchange(http.toBlocking(), HttpRequest.GET("/api/v1/mailbox").bearerAuth(f.token(other, Role.OWNER)));
        assertEquals(0, ((List) theirs.body().get("data")).size());
        HttpResponse<Map> outbox = Http.exchange(http.toBlocking(), Http.admin(HttpRequest.GET("/admin/v1/outbox?status=sent")));
        List<Map> rows = (List<Map>) outbox.body().get("data");
        assertEquals(3, rows.size());
        assertEquals("sent", rows.get(0).get("status"));
        assertEquals(HttpStatus.BAD_REQUEST, Http.exchange(http.toBlocking(), Http.admin(HttpRequest.GET("/admin/v1/outbox?status=lost"))).getStatus());
    }

    @Test
    @Order(4)
    void anUndeliverableMailIsRetriedWithBackoffAndKeepsItsError() throws Exception {
        smtp.stop();
        f.exec("""
                insert into mail_outbox (id, tenant_id, recipients, subject, body_text, kind)
                values (?, ?, array['ops@example.com'], 'retry me', 'body', 'test')""", UUID.randomUUID(), tenant);
        Thread.sleep(1_500);
        String attempts = f.text("select attempts from mail_outbox where subject = 'retry me'");
        assertTrue(Integer.parseInt(attempts) >= 1, attempts);
        assertEquals("queued", f.text("select status from mail_outbox where subject = 'retry me'"));
        assertTrue(f.text("select last_error from mail_outbox where subject = 'retry me'").length() > 0);
        smtp.start();
        f.exec("update mail_outbox set next_attempt_at = now() where subject = 'retry me'");
        assertTrue(smtp.waitForIncomingEmail(10_000, 1));
        Thread.sleep(500);
        assertEquals("sent", f.text("select status from mail_outbox where subject = 'retry me'"));
    }

    private static String[] subjects(MimeMessage[] messages) {
        return Arrays.stream(messages).map(m -> {
            try {
                return m.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(String[]::new);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
