package dev.tollgate.gateway.limit;

import dev.tollgate.platform.http.ApiException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a limit check: admitted or not, the state of every check for the
 * {@code x-ratelimit-*} headers, and what must be settled when the request ends.
 *
 * @param remaining per check: what is left after this request
 * @param resetMs   per check: ms until the limit is fully available again
 * @param failed    the index of the check that refused, -1 when admitted
 * @param local     true when the local fallback limiter decided
 */
public record Admission(String requestId, List<Check> checks, long[] remaining, long[] resetMs, int failed,
                        long retryMs, boolean local) {

    /** Nothing to check. */
    public static Admission unlimited(String requestId) {
        return new Admission(requestId, List.of(), new long[0], new long[0], -1, 0, false);
    }

    public boolean admitted() {
        return failed < 0;
    }

    /** The 429 or 402 of a refused request. */
    public ApiException rejection() {
        Check c = checks.get(failed);
        Duration retry = Duration.ofMillis(Math.max(1000, retryMs));
        if (c.kind().equals("usd")) {
            BigDecimal budget = BigDecimal.valueOf(c.limit(), 9).setScale(2, RoundingMode.HALF_UP);
            return new ApiException(io.micronaut.http.HttpStatus.PAYMENT_REQUIRED, "billing_error",
                    "The monthly budget of $" + budget.toPlainString() + " for this " + c.level()
                            + " is used up (requests in flight included). Raise the budget or wait for the next month.",
                    null, "budget_exceeded", null, retry);
        }
        String code = switch (c.kind()) {
            case "rpm" -> "rpm_limit_exceeded";
            case "tpm" -> "tpm_limit_exceeded";
            case "conc" -> "concurrency_limit_exceeded";
            default -> "token_quota_exceeded";
        };
        return ApiException.rateLimited("Rate limit reached for " + c.what() + " on this " + c.level()
                + ": limit " + c.limit() + ". Retry after " + retry.toSeconds() + " s.", code, retry);
    }

    /** OpenAI's {@code x-ratelimit-*} headers from the tightest RPM and TPM checks. */
    public Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        put(h, "rpm", "requests");
        put(h, "tpm", "tokens");
        return h;
    }

    private void put(Map<String, String> h, String kind, String suffix) {
        int best = -1;
        for (int i = 0; i < checks.size(); i++) {
            if (checks.get(i).kind().equals(kind) && (best < 0 || remaining[i] < remaining[best])) {
                best = i;
            }
        }
        if (best >= 0) {
            h.put("x-ratelimit-limit-" + suffix, String.valueOf(checks.get(best).limit()));
            h.put("x-ratelimit-remaining-" + suffix, String.valueOf(Math.max(0, remaining[best])));
            h.put("x-ratelimit-reset-" + suffix, formatDuration(resetMs[best]));
        }
    }

    /** OpenAI's duration format: {@code 20ms}, {@code 1s}, {@code 6m0s}, {@code 1h2m3s}. */
    static String formatDuration(long ms) {
        if (ms < 1000) {
            return Math.max(0, ms) + "ms";
        }
        long s = (ms + 999) / 1000;
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return (h > 0 ? h + "h" : "") + (h > 0 || m > 0 ? m + "m" : "") + sec + "s";
    }
}
