package dev.tollgate.billing.reconcile;

import dev.tollgate.billing.reconcile.ReconciliationReport.Difference;
import dev.tollgate.billing.reconcile.ReconciliationReport.Row;
import dev.tollgate.billing.reconcile.ReconciliationReport.StripeRow;
import dev.tollgate.billing.rollup.Repricer;
import dev.tollgate.billing.stripe.StripeMeterSummaries;
import dev.tollgate.platform.usage.TokenUsage;
import dev.tollgate.platform.usage.TokenUsageColumns;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Runs the three reconciliation checks over UTC days and records the outcome.
 * <ol>
 *   <li>{@code cost}: every rolled event of the days is re-priced with the live price book
 *   ({@link Repricer#cost}, the billing worker's own rule) and compared with its stored cost;
 *   event counts, every token count (1-hour cache writes and audio included) and stored costs are
 *   compared with the daily and hourly rollups.</li>
 *   <li>{@code provider}: the events each provider served (not cache hits, not failed, not
 *   embeddings) against its organization usage API ({@link ProviderUsageClient}).</li>
 *   <li>{@code stripe} (when Stripe is on): micro-dollars reported per tenant and day against
 *   Stripe's meter event summaries.</li>
 * </ol>
 * One difference per check and row, the most basic kind first: a missing event also changes
 * tokens and cost, so it is reported as {@code missing_events} alone.
 */
@Singleton
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    /** The token count columns (the same names in usage_event and usage_rollup). */
    private static final List<String> COUNT_NAMES = List.of(TokenUsageColumns.LIST.split(", "));
    private static final int INPUT = COUNT_NAMES.indexOf("input_tokens");
    private static final int OUTPUT = COUNT_NAMES.indexOf("output_tokens");

    private final DataSource dataSource;
    private final Repricer repricer;
    private final ProviderUsageClient providers;
    private final List<ProviderUsageApi> providerApis;
    private final StripeMeterSummaries stripe;
    private final JsonMapper json;

    public Reconciler(DataSource dataSource, Repricer repricer, ProviderUsageClient providers, List<ProviderUsageApi> providerApis,
                      @Nullable StripeMeterSummaries stripe, JsonMapper json) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.repricer = repricer;
        this.providers = providers;
        this.providerApis = providerApis;
        this.stripe = stripe;
        this.json = json;
    }

    private record Key(LocalDate day, String provider, String model) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = day.compareTo(o.day);
            c = c != 0 ? c : provider.compareTo(o.provider);
            return c != 0 ? c : model.compareTo(o.model);
        }
    }

    private static final class Acc {
        long events;
        /** Sums of the rolled events' counts, in {@link TokenUsageColumns#LIST}'s order. */
        final long[] tokens = new long[TokenUsageColumns.COUNT];
        BigDecimal stored = BigDecimal.ZERO;
        BigDecimal repriced = BigDecimal.ZERO;
        long differing;
        long rollupRequests;
        long rollupHourly;
        /** Sums of the daily rollups' counts, in {@link TokenUsageColumns#LIST}'s order. */
        final long[] rollupTokens = new long[TokenUsageColumns.COUNT];
        BigDecimal rollupCost = BigDecimal.ZERO;
        long served;
        long servedInput;
        long servedOutput;
        Long providerRequests;
        Long providerInput;
        Long providerOutput;
        boolean providerAsked;
    }

    /** Reconciles {@code [from, to)} and stores the run; {@code trigger} is {@code scheduled} or {@code admin}. */
    public ReconciliationReport run(LocalDate from, LocalDate to, String trigger) {
        Instant started = Instant.now();
        Map<Key, Acc> rows = new TreeMap<>();
        Map<String, String> errors = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            events(c, from, to, rows);
            rollups(c, from, to, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("reconciliation query failed", e);
        }
        for (ProviderUsageApi api : providerApis) {
            if (!api.usable()) {
                continue;
            }
            try {
                providers.usage(api, from, to).forEach((dm, u) -> {
                    Acc a = rows.computeIfAbsent(new Key(dm.day(), api.name(), dm.model()), k -> new Acc());
                    a.providerRequests = u.requests();
                    a.providerInput = u.inputTokens();
                    a.providerOutput = u.outputTokens();
                });
                rows.forEach((k, a) -> {
                    if (k.provider().equals(api.name())) {
                        a.providerAsked = true;
                    }
                });
            } catch (IOException | RuntimeException e) {
                errors.put("provider:" + api.name(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        List<Difference> differences = new ArrayList<>();
        List<Row> out = new ArrayList<>();
        rows.forEach((k, a) -> {
            out.add(new Row(k.day(), k.provider(), k.model(), a.events, a.rollupRequests, a.rollupHourly, a.tokens[INPUT], a.tokens[OUTPUT],
                    a.rollupTokens[INPUT], a.rollupTokens[OUTPUT], plain(a.stored), plain(a.repriced), plain(a.rollupCost), a.differing,
                    a.served, a.servedInput, a.servedOutput,
                    a.providerAsked ? a.providerRequests : null,
                    a.providerAsked ? Objects.requireNonNullElse(a.providerInput, 0L) : null,
                    a.providerAsked ? Objects.requireNonNullElse(a.providerOutput, 0L) : null));
            classifyCost(k, a, differences);
            if (a.providerAsked) {
                classifyProvider(k, a, differences);
            }
        });
        List<StripeRow> stripeRows = new ArrayList<>();
        if (stripe != null) {
            try {
                stripeCheck(from, to, stripeRows, differences);
            } catch (Exception e) {
                errors.put("stripe", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        UUID runId = UUID.randomUUID();
        store(runId, from, to, trigger, started, differences, errors);
        for (Difference d : differences) {
            LOG.warn("reconciliation {} {} on {}: {} {} {} (expected {}, actual {}) {}", d.check(), d.kind(), d.day(),
                    d.provider() == null ? "" : d.provider(), d.model() == null ? "" : d.model(),
                    d.tenantId() == null ? "" : d.tenantId(), d.expected(), d.actual(), d.detail());
        }
        errors.forEach((source, message) -> LOG.warn("reconciliation could not read {}: {}", source, message));
        return new ReconciliationReport(runId, from, to, Instant.now(), !differences.isEmpty(), out, stripeRows, differences, errors);
    }

    private void events(Connection c, LocalDate from, LocalDate to, Map<Key, Acc> rows) throws SQLException {
        Map<UUID, BigDecimal> markups = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, markup from tenant"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                markups.put(rs.getObject(1, UUID.class), rs.getBigDecimal(2));
            }
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // a cursor: the days' events are streamed, not loaded at once
        try (PreparedStatement ps = c.prepareStatement("""
                select occurred_at, tenant_id, provider, coalesce(model_served, model_requested), cache_status, status, endpoint,
                       cost_usd, priced, %s
                  from usage_event where occurred_at >= ? and occurred_at < ? and rolled""".formatted(TokenUsageColumns.LIST))) {
            ps.setFetchSize(5000);
            ps.setTimestamp(1, Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
            ps.setTimestamp(2, Timestamp.from(to.atStartOfDay(ZoneOffset.UTC).toInstant()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant at = rs.getTimestamp(1).toInstant();
                    String provider = rs.getString(3);
                    String model = rs.getString(4);
                    Acc a = rows.computeIfAbsent(new Key(at.atZone(ZoneOffset.UTC).toLocalDate(),
                            provider == null ? "" : provider, model == null ? "" : model), k -> new Acc());
                    TokenUsage usage = TokenUsageColumns.read(rs, 10);
                    String cacheStatus = rs.getString(5);
                    a.events++;
                    for (int i = 0; i < TokenUsageColumns.COUNT; i++) {
                        a.tokens[i] += rs.getLong(10 + i);
                    }
                    if (rs.getBoolean(9)) {
                        BigDecimal stored = rs.getBigDecimal(8);
                        UUID tenant = rs.getObject(2, UUID.class);
                        Repricer.EventCost now = repricer.cost(provider, model, usage, cacheStatus, at, tenant,
                                markups.getOrDefault(tenant, BigDecimal.ONE));
                        a.stored = a.stored.add(stored == null ? BigDecimal.ZERO : stored);
                        a.repriced = a.repriced.add(now.costUsd() == null ? BigDecimal.ZERO : now.costUsd());
                        if (now.costUsd() == null || stored == null || now.costUsd().compareTo(stored) != 0) {
                            a.differing++;
                        }
                    }
                    boolean servedUpstream = rs.getInt(6) < 400 && !"embeddings".equals(rs.getString(7))
                            && (cacheStatus == null || !cacheStatus.endsWith("hit")) && usage.totalTokens() > 0;
                    if (servedUpstream) {
                        a.served++;
                        a.servedInput += usage.inputTokens();
                        a.servedOutput += usage.outputTokens();
                    }
                }
            }
            c.commit();
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static void rollups(Connection c, LocalDate from, LocalDate to, Map<Key, Acc> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select (date_trunc('day', bucket_start, 'UTC') at time zone 'UTC')::date, provider, model,
                       sum(requests) filter (where granularity = 'd'), sum(requests) filter (where granularity = 'h'),
                       sum(cost_usd) filter (where granularity = 'd'), %s
                  from usage_rollup where bucket_start >= ? and bucket_start < ?
                 group by 1, 2, 3""".formatted(COUNT_NAMES.stream().map(n -> "sum(" + n + ") filter (where granularity = 'd')")
                .collect(Collectors.joining(", "))))) {
            ps.setTimestamp(1, Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
            ps.setTimestamp(2, Timestamp.from(to.atStartOfDay(ZoneOffset.UTC).toInstant()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Acc a = rows.computeIfAbsent(new Key(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3)),
                            k -> new Acc());
                    a.rollupRequests = rs.getLong(4);
                    a.rollupHourly = rs.getLong(5);
                    a.rollupCost = rs.getBigDecimal(6) == null ? BigDecimal.ZERO : rs.getBigDecimal(6);
                    for (int i = 0; i < TokenUsageColumns.COUNT; i++) {
                        a.rollupTokens[i] = rs.getLong(7 + i);
                    }
                }
            }
        }
    }

    private static void classifyCost(Key k, Acc a, List<Difference> out) {
        if (a.events != a.rollupRequests || a.rollupHourly != a.rollupRequests) {
            out.add(diff("cost", "missing_events", k, a.events, a.rollupRequests,
                    a.events + " rolled events, " + a.rollupRequests + " in the daily and " + a.rollupHourly + " in the hourly rollups"));
        } else if (!Arrays.equals(a.tokens, a.rollupTokens)) {
            List<String> differing = new ArrayList<>();
            for (int i = 0; i < TokenUsageColumns.COUNT; i++) {
                if (a.tokens[i] != a.rollupTokens[i]) {
                    differing.add(COUNT_NAMES.get(i));
                }
            }
            out.add(diff("cost", "token_mismatch", k, counts(a.tokens, differing), counts(a.rollupTokens, differing),
                    "token counts of the events vs the daily rollups: " + String.join(", ", differing)));
        } else if (a.differing > 0 || a.stored.compareTo(a.rollupCost) != 0) {
            out.add(diff("cost", "price_mismatch", k, plain(a.repriced), plain(a.stored),
                    a.differing + " events re-price differently; stored " + plain(a.stored) + " vs rollups " + plain(a.rollupCost)));
        }
    }

    private static void classifyProvider(Key k, Acc a, List<Difference> out) {
        long pIn = Objects.requireNonNullElse(a.providerInput, 0L);
        long pOut = Objects.requireNonNullElse(a.providerOutput, 0L);
        boolean providerHasNone = a.providerInput == null;
        if ((a.providerRequests != null && a.providerRequests != a.served)
                || (providerHasNone && a.served > 0) || (a.served == 0 && (pIn > 0 || pOut > 0))) {
            out.add(diff("provider", "missing_events", k, a.providerRequests == null ? pIn + "/" + pOut : a.providerRequests.toString(),
                    a.providerRequests == null ? a.servedInput + "/" + a.servedOutput : Long.toString(a.served),
                    "the provider reports " + (a.providerRequests == null ? "tokens (input/output)" : "requests")
                            + " we did not meter one to one"));
        } else if (pIn != a.servedInput || pOut != a.servedOutput) {
            out.add(diff("provider", "token_mismatch", k, pIn + "/" + pOut, a.servedInput + "/" + a.servedOutput,
                    "input/output tokens: the provider's usage API vs our events"));
        }
    }

    private void stripeCheck(LocalDate from, LocalDate to, List<StripeRow> rows, List<Difference> out) throws Exception {
        String meter = stripe.meterId().orElse(null);
        if (meter == null) {
            return;
        }
        Map<UUID, String> customers = new HashMap<>();
        Map<UUID, Map<LocalDate, Long>> reported = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select tenant_id, customer_id from stripe_account where customer_id is not null");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    customers.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    select tenant_id, (event_at at time zone 'UTC')::date, sum(value_micros) from stripe_meter_report
                     where status = 'sent' and event_at >= ? and event_at < ? group by 1, 2""")) {
                ps.setTimestamp(1, Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
                ps.setTimestamp(2, Timestamp.from(to.atStartOfDay(ZoneOffset.UTC).toInstant()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reported.computeIfAbsent(rs.getObject(1, UUID.class), t -> new HashMap<>())
                                .put(rs.getObject(2, LocalDate.class), rs.getLong(3));
                    }
                }
            }
        }
        for (Map.Entry<UUID, String> e : new TreeMap<>(customers).entrySet()) {
            Map<LocalDate, Long> theirs = stripe.daily(meter, e.getValue(), from, to);
            Map<LocalDate, Long> ours = reported.getOrDefault(e.getKey(), Map.of());
            for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
                long r = ours.getOrDefault(day, 0L);
                long s = theirs.getOrDefault(day, 0L);
                if (r == 0 && s == 0) {
                    continue;
                }
                rows.add(new StripeRow(day, e.getKey(), r, s));
                if (r != s) {
                    out.add(new Difference("stripe", s < r ? "missing_events" : "excess_events", day, null, null, e.getKey(),
                            Long.toString(r), Long.toString(s), "micro-USD reported to Stripe vs its meter event summary"));
                }
            }
        }
    }

    private static Difference diff(String check, String kind, Key k, Object expected, Object actual, String detail) {
        return new Difference(check, kind, k.day(), k.provider(), k.model(), null, String.valueOf(expected), String.valueOf(actual), detail);
    }

    /** {@code name=value} of the named counts, e.g. {@code output_tokens=57, output_audio_tokens=0}. */
    private static String counts(long[] values, List<String> names) {
        return names.stream().map(n -> n + "=" + values[COUNT_NAMES.indexOf(n)]).collect(Collectors.joining(", "));
    }

    private static String plain(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    private void store(UUID runId, LocalDate from, LocalDate to, String trigger, Instant started, List<Difference> differences,
                       Map<String, String> errors) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement run = c.prepareStatement("""
                    insert into reconciliation_run (id, from_day, to_day, trigger, started_at, finished_at, differences, errors)
                    values (?, ?, ?, ?, ?, now(), ?, ?::jsonb)""");
                 PreparedStatement diff = c.prepareStatement("""
                         insert into reconciliation_difference (run_id, ordinal, check_name, kind, day, provider, model, tenant_id,
                                                                expected, actual, detail)
                         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                run.setObject(1, runId);
                run.setObject(2, Date.valueOf(from));
                run.setObject(3, Date.valueOf(to));
                run.setString(4, trigger);
                run.setTimestamp(5, Timestamp.from(started));
                run.setInt(6, differences.size());
                run.setString(7, json.writeValueAsString(errors));
                run.executeUpdate();
                int i = 0;
                for (Difference d : differences) {
                    diff.setObject(1, runId);
                    diff.setInt(2, i++);
                    diff.setString(3, d.check());
                    diff.setString(4, d.kind());
                    diff.setObject(5, Date.valueOf(d.day()));
                    diff.setString(6, d.provider());
                    diff.setString(7, d.model());
                    diff.setObject(8, d.tenantId());
                    diff.setString(9, d.expected());
                    diff.setString(10, d.actual());
                    diff.setString(11, d.detail());
                    diff.addBatch();
                }
                diff.executeBatch();
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot store the reconciliation run", e);
        }
    }
}
