package dev.tollgate.billing.stripe;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.stripe.Stripe;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Stripe-compatible test server on loopback: the few endpoints Tollgate calls (customers,
 * meters, prices, subscriptions with their items, retrieved and updated, meter events, meter
 * event summaries), with Stripe's idempotency
 * (a key replays its first answer; reusing it with other parameters is an error) and meter event
 * identifier uniqueness. Every request is checked; what does not look like Stripe's contract is
 * collected in {@link #problems()}. It can fail on demand ({@link #outage(boolean)}), lose
 * answers after processing ({@link #dropResponses(int)}), and send signed webhooks.
 */
final class StripeTestServer implements AutoCloseable {

    static final String API_KEY = "sk_test_tollgate";
    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger drops = new AtomicInteger();
    /** Requests by method and path, with their form parameters and idempotency key. */
    final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Map<String, Replay> idempotency = new ConcurrentHashMap<>();
    /** Accepted meter events by identifier. */
    final Map<String, Map<String, String>> meterEvents = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> meters = new CopyOnWriteArrayList<>();
    private final List<String> prices = new CopyOnWriteArrayList<>();
    /** Subscriptions by id: customer and item id → price id. */
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** Objects created per POST path (first processing only, not idempotent replays). */
    private final Map<String, AtomicInteger> created = new ConcurrentHashMap<>();

    record Recorded(String method, String path, Map<String, String> params, String idempotencyKey) {
    }

    record Subscription(String id, String customer, Map<String, String> items) {
    }

    private record Replay(String fingerprint, int status, String body) {
    }

    StripeTestServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void outage(boolean on) {
        down.set(on);
    }

    /** The next {@code n} POSTs are processed, but their answer is lost: the client sees a 502. */
    void dropResponses(int n) {
        drops.set(n);
    }

    int created(String path) {
        AtomicInteger n = created.get(path);
        return n == null ? 0 : n.get();
    }

    List<String> problems() {
        return problems;
    }

    List<Recorded> posts(String path) {
        return requests.stream().filter(r -> r.method().equals("POST") && r.path().equals(path)).toList();
    }

    /** Sum of accepted meter event values of {@code customer}. */
    long meteredTotal(String customer) {
        return meterEvents.values().stream().filter(e -> customer.equals(e.get("payload[stripe_customer_id]")))
                .mapToLong(e -> Long.parseLong(e.get("payload[value]"))).sum();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            Map<String, String> params = form(method.equals("GET") ? ex.getRequestURI().getRawQuery()
                    : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            requests.add(new Recorded(method, path, params, key));
            if (!("Bearer " + API_KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                respond(ex, 401, error("invalid_request_error", "Invalid API Key provided"));
                return;
            }
            if (down.get()) {
                respond(ex, 500, error("api_error", "simulated outage"));
                return;
            }
            if (method.equals("POST")) {
                if (key == null || key.isBlank()) {
                    problems.add("POST " + path + " without an idempotency key");
                }
                String fingerprint = path + " " + new java.util.TreeMap<>(params);
                if (key != null) {
                    Replay replay = idempotency.get(key);
                    if (replay != null) {
                        if (!replay.fingerprint().equals(fingerprint)) {
                            problems.add("idempotency key " + key + " reused with other parameters");
                            respond(ex, 400, error("idempotency_error", "Keys for idempotent requests can only be used with the same parameters"));
                        } else {
                            respond(ex, replay.status(), replay.body());
                        }
                        return;
                    }
                }
                Object[] answer = post(path, params, key);
                int status = (int) answer[0];
                if (status == 200) {
                    created.computeIfAbsent(path, x -> new AtomicInteger()).incrementAndGet();
                }
                String body = (String) answer[1];
                if (key != null && status < 500) {
                    idempotency.put(key, new Replay(fingerprint, status, body));
                }
                if (drops.get() > 0 && drops.decrementAndGet() >= 0) {
                    // processed, but the answer is lost on the way (a proxy's 502)
                    respond(ex, 502, error("api_error", "bad gateway"));
                    return;
                }
                respond(ex, status, body);
                return;
            }
            Object[] answer = get(path, params);
            respond(ex, (int) answer[0], (String) answer[1]);
        }
    }

    private Object[] post(String path, Map<String, String> p, String key) {
        if (path.startsWith("/v1/subscriptions/")) {
            return updateSubscription(path.substring("/v1/subscriptions/".length()), p, key);
        }
        switch (path) {
            case "/v1/customers" -> {
                require(p, path, "name", "metadata[tollgate_tenant_id]");
                if (key != null && !key.equals("tollgate-customer-" + p.get("metadata[tollgate_tenant_id]"))) {
                    problems.add("customer idempotency key " + key);
                }
                return ok(obj("id", "cus_" + ids.incrementAndGet(), "object", "customer", "name", p.get("name")));
            }
            case "/v1/billing/meters" -> {
                require(p, path, "event_name", "display_name", "default_aggregation[formula]", "customer_mapping[type]",
                        "customer_mapping[event_payload_key]", "value_settings[event_payload_key]");
                if (!"sum".equals(p.get("default_aggregation[formula]"))) {
                    problems.add("meter aggregation " + p.get("default_aggregation[formula]"));
                }
                if (meters.stream().anyMatch(m -> m.get("event_name").equals(p.get("event_name")))) {
                    return new Object[] {400, error("invalid_request_error", "A meter with this event_name already exists")};
                }
                Map<String, Object> meter = obj("id", "mtr_" + ids.incrementAndGet(), "object", "billing.meter",
                        "event_name", p.get("event_name"), "status", "active");
                meters.add(meter);
                return ok(meter);
            }
            case "/v1/prices" -> {
                require(p, path, "currency", "unit_amount_decimal", "recurring[interval]", "recurring[usage_type]", "recurring[meter]");
                if (!"metered".equals(p.get("recurring[usage_type]"))
                        || meters.stream().noneMatch(m -> m.get("id").equals(p.get("recurring[meter]")))) {
                    problems.add("price not metered on a known meter: " + p);
                }
                String id = "price_" + ids.incrementAndGet();
                prices.add(id);
                return ok(obj("id", id, "object", "price", "currency", p.get("currency")));
            }
            case "/v1/subscriptions" -> {
                require(p, path, "customer", "items[0][price]");
                Map<String, String> items = new ConcurrentHashMap<>();
                items.put("si_" + ids.incrementAndGet(), p.get("items[0][price]"));
                Subscription sub = new Subscription("sub_" + ids.incrementAndGet(), p.get("customer"), items);
                subscriptions.put(sub.id(), sub);
                return ok(json(sub));
            }
            case "/v1/billing/meter_events" -> {
                require(p, path, "event_name", "identifier", "timestamp", "payload[stripe_customer_id]", "payload[value]");
                String identifier = p.get("identifier");
                if (key == null || !key.equals(identifier)) {
                    problems.add("meter event " + identifier + " sent with idempotency key " + key);
                }
                if (identifier == null || !identifier.matches("tg-[0-9a-f-]{36}-\\d+-\\d+")) {
                    problems.add("meter event identifier not deterministic: " + identifier);
                }
                long ts = Long.parseLong(p.getOrDefault("timestamp", "0"));
                long now = System.currentTimeMillis() / 1000;
                if (ts < now - 35L * 86_400 || ts > now + 300) {
                    return new Object[] {400, error("invalid_request_error", "timestamp must be within the past 35 days")};
                }
                if (meterEvents.putIfAbsent(identifier, new LinkedHashMap<>(p)) != null) {
                    problems.add("duplicate meter event identifier " + identifier);
                    return new Object[] {400, error("invalid_request_error", "An event with identifier " + identifier + " already exists")};
                }
                return ok(obj("object", "billing.meter_event", "event_name", p.get("event_name"), "identifier", identifier,
                        "timestamp", ts, "livemode", false, "created", now));
            }
            default -> {
                return new Object[] {404, error("invalid_request_error", "Unrecognized request URL (POST: " + path + ")")};
            }
        }
    }

    /** A price swap: items[0][id] must be an item of the subscription, items[0][price] a known price. */
    private Object[] updateSubscription(String id, Map<String, String> p, String key) {
        Subscription sub = subscriptions.get(id);
        if (sub == null) {
            return new Object[] {404, error("invalid_request_error", "No such subscription: '" + id + "'")};
        }
        require(p, "/v1/subscriptions/" + id, "items[0][id]", "items[0][price]", "proration_behavior");
        String item = p.get("items[0][id]");
        if (!sub.items().containsKey(item)) {
            return new Object[] {400, error("invalid_request_error", "No such subscription item: '" + item + "'")};
        }
        if (!prices.contains(p.get("items[0][price]"))) {
            return new Object[] {400, error("invalid_request_error", "No such price: '" + p.get("items[0][price]") + "'")};
        }
        if (key == null || !key.startsWith("tollgate-plan-")) {
            problems.add("subscription update with idempotency key " + key);
        }
        sub.items().put(item, p.get("items[0][price]"));
        return ok(json(sub));
    }

    private static Map<String, Object> json(Subscription sub) {
        List<Map<String, Object>> items = new ArrayList<>();
        sub.items().forEach((item, price) -> items.add(obj("id", item, "object", "subscription_item", "subscription", sub.id(),
                "price", obj("id", price, "object", "price"))));
        return obj("id", sub.id(), "object", "subscription", "customer", sub.customer(), "status", "active",
                "items", obj("object", "list", "url", "/v1/subscription_items?subscription=" + sub.id(), "has_more", false, "data", items));
    }

    private Object[] get(String path, Map<String, String> p) {
        if (path.startsWith("/v1/subscriptions/")) {
            Subscription sub = subscriptions.get(path.substring("/v1/subscriptions/".length()));
            return sub == null ? new Object[] {404, error("invalid_request_error", "No such subscription")} : ok(json(sub));
        }
        if (path.equals("/v1/billing/meters")) {
            return ok(obj("object", "list", "url", path, "has_more", false, "data", meters));
        }
        if (path.startsWith("/v1/billing/meters/") && path.endsWith("/event_summaries")) {
            String meter = path.substring("/v1/billing/meters/".length(), path.length() - "/event_summaries".length());
            String eventName = meters.stream().filter(m -> m.get("id").equals(meter)).map(m -> (String) m.get("event_name"))
                    .findFirst().orElse(null);
            long start = Long.parseLong(p.get("start_time"));
            long end = Long.parseLong(p.get("end_time"));
            long width = "hour".equals(p.get("value_grouping_window")) ? 3600 : "day".equals(p.get("value_grouping_window")) ? 86_400 : end - start;
            List<Map<String, Object>> data = new ArrayList<>();
            for (long s = start; s < end; s += width) {
                long from = s;
                long to = Math.min(s + width, end);
                long sum = meterEvents.values().stream()
                        .filter(e -> e.get("event_name").equals(eventName) && p.get("customer").equals(e.get("payload[stripe_customer_id]")))
                        .filter(e -> Long.parseLong(e.get("timestamp")) >= from && Long.parseLong(e.get("timestamp")) < to)
                        .mapToLong(e -> Long.parseLong(e.get("payload[value]"))).sum();
                data.add(obj("id", "mtrusg_" + s, "object", "billing.meter_event_summary", "aggregated_value", sum,
                        "start_time", from, "end_time", to, "meter", meter, "livemode", false));
            }
            return ok(obj("object", "list", "url", path, "has_more", false, "data", data));
        }
        return new Object[] {404, error("invalid_request_error", "Unrecognized request URL (GET: " + path + ")")};
    }

    private void require(Map<String, String> p, String path, String... fields) {
        for (String f : fields) {
            if (p.get(f) == null || p.get(f).isBlank()) {
                problems.add(path + " without " + f);
            }
        }
    }

    /** Sends a webhook event to {@code url}, signed with {@code secret} at {@code signedAt} (epoch seconds). */
    HttpResponse<String> webhook(String url, String secret, long signedAt, String eventId, String type, long created,
                                 Map<String, Object> object) {
        String payload = GSON.toJson(obj("id", eventId, "object", "event", "api_version", Stripe.API_VERSION, "created", created,
                "type", type, "livemode", false, "pending_webhooks", 1, "data", obj("object", object)));
        return deliver(url, payload, "t=" + signedAt + ",v1=" + hmac(secret, signedAt + "." + payload));
    }

    static HttpResponse<String> deliver(String url, String payload, String signature) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Object[] ok(Map<String, Object> body) {
        return new Object[] {200, GSON.toJson(body)};
    }

    private static String error(String type, String message) {
        return GSON.toJson(obj("error", obj("type", type, "message", message)));
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Request-Id", "req_test");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> map = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(k, v);
        }
        return map;
    }
}
