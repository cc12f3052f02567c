package dev.tollgate.gateway.limit;

import dev.tollgate.platform.redis.RedisNamespace;
import dev.tollgate.platform.tenant.ApiKeyGrant;
import dev.tollgate.platform.tenant.Limits;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns a key's limits (and its project's and tenant's) into the {@link Check}s of one request.
 * Every Redis key carries the tenant id as hash tag, so one script can touch them all. Days and
 * months are the tenant's: they start at midnight in {@link ApiKeyGrant#timeZone()}.
 */
@Singleton
public class LimitPlanner {

    private static final long MINUTE_MS = 60_000;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

    private final RedisNamespace namespace;
    private final LimitsConfiguration configuration;
    private final Clock clock;

    public LimitPlanner(RedisNamespace namespace, LimitsConfiguration configuration, Clock clock) {
        this.namespace = namespace;
        this.configuration = configuration;
        this.clock = clock;
    }

    /** Whether any level sets a monthly budget (then the caller must estimate the cost). */
    public static boolean hasBudget(ApiKeyGrant g) {
        return g.keyLimits().budgetUsdPerMonth() != null || g.projectLimits().budgetUsdPerMonth() != null
                || g.tenantLimits().budgetUsdPerMonth() != null;
    }

    /**
     * The checks of one request.
     *
     * @param tokenEstimate   prompt tokens plus the output cap
     * @param nanoUsdEstimate the estimated billed cost in nano-USD, or -1 when it cannot be priced
     *                        (budgets are then not enforced for this request)
     */
    public List<Check> plan(ApiKeyGrant g, long tokenEstimate, long nanoUsdEstimate) {
        List<Check> checks = new ArrayList<>();
        Calendar calendar = new Calendar(clock.instant(), g.timeZone());
        add(checks, g, "key", g.keyId().toString(), g.keyLimits(), tokenEstimate, nanoUsdEstimate, calendar);
        add(checks, g, "project", g.projectId().toString(), g.projectLimits(), tokenEstimate, nanoUsdEstimate, calendar);
        add(checks, g, "tenant", g.tenantId().toString(), g.tenantLimits(), tokenEstimate, nanoUsdEstimate, calendar);
        return checks;
    }

    /** The tenant's day and month around {@code now}. */
    private record Calendar(Instant now, LocalDate today, Instant dayEnd, Instant monthStart, Instant monthEnd) {
        Calendar(Instant now, ZoneId zone) {
            this(now, now.atZone(zone).toLocalDate(), zone);
        }

        private Calendar(Instant now, LocalDate today, ZoneId zone) {
            this(now, today, today.plusDays(1).atStartOfDay(zone).toInstant(),
                    today.withDayOfMonth(1).atStartOfDay(zone).toInstant(),
                    today.withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant());
        }

        long msUntil(Instant end) {
            return end.toEpochMilli() - now.toEpochMilli();
        }
    }

    private void add(List<Check> out, ApiKeyGrant g, String level, String id, Limits l, long tokens, long nanoUsd,
                     Calendar calendar) {
        String tag = g.tenantId().toString();
        LocalDate today = calendar.today();
        long toDayEnd = calendar.msUntil(calendar.dayEnd());
        long toMonthEnd = calendar.msUntil(calendar.monthEnd());
        if (l.rpm() != null) {
            out.add(check("rpm", "requests per minute", level, l.rpm(), 1, MINUTE_MS, tag, id, "rpm"));
        }
        if (l.tpm() != null) {
            out.add(check("tpm", "tokens per minute", level, l.tpm(), tokens, MINUTE_MS, tag, id, "tpm"));
        }
        if (l.maxConcurrent() != null) {
            out.add(check("conc", "concurrent requests", level, l.maxConcurrent(), 1,
                    configuration.concurrencyLease().toMillis(), tag, id, "conc"));
        }
        if (l.tokensPerDay() != null) {
            out.add(check("ctr", "tokens per day", level, l.tokensPerDay(), tokens, toDayEnd, tag, id, "tpd:" + DAY.format(today)));
        }
        if (l.tokensPerMonth() != null) {
            out.add(check("ctr", "tokens per month", level, l.tokensPerMonth(), tokens, toMonthEnd, tag, id,
                    "tpmo:" + MONTH.format(today)));
        }
        if (l.budgetUsdPerMonth() != null && nanoUsd >= 0) {
            String month = MONTH.format(today);
            out.add(new Check("usd", "USD per month", level, toNanos(l.budgetUsdPerMonth()), nanoUsd, toMonthEnd,
                    namespace.tagged("lim", tag, level, id, "usd:" + month),
                    namespace.tagged("lim", tag, level, id, "usd-inflight"),
                    new SpendScope(g.tenantId(), level, UUID.fromString(id), calendar.monthStart(), calendar.monthEnd())));
        }
    }

    private Check check(String kind, String what, String level, long limit, long amount, long param,
                        String tag, String id, String suffix) {
        String key = namespace.tagged("lim", tag, level, id, suffix);
        return new Check(kind, what, level, limit, amount, param, key, key + ":x", null);
    }

    /** USD to whole nano-USD, rounded up so that reservations never under-count. */
    public static long toNanos(BigDecimal usd) {
        return usd.movePointRight(9).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
