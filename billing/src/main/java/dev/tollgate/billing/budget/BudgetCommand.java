package dev.tollgate.billing.budget;

import dev.tollgate.platform.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A budget to set: the body of {@code PUT .../budget} and what the portal's budget form reads.
 * {@code monthly_usd} is required; {@code thresholds} are fractions of the budget (0.5 = 50 %),
 * 0.5, 0.8 and 1.0 when absent; no {@code alert_emails} means no e-mails; no {@code hard_cap}
 * means alerts only. {@link #problems()} holds the one set of input rules, whichever way the
 * budget arrives; {@link BudgetService#save} applies them.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record BudgetCommand(@Nullable BigDecimal monthlyUsd,
                            @Nullable List<BigDecimal> thresholds,
                            @Nullable List<String> alertEmails,
                            @Nullable Boolean hardCap) {

    /** Most thresholds and most recipients a budget has. */
    private static final int MAX_THRESHOLDS = 20;
    private static final int MAX_EMAILS = 20;
    /** The highest threshold: ten times the budget. */
    private static final BigDecimal MAX_THRESHOLD = BigDecimal.TEN;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    /** What is wrong with this budget, by field ({@code monthly_usd}, {@code thresholds}, {@code alert_emails}); empty when valid. */
    public Map<String, String> problems() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (monthlyUsd == null || monthlyUsd.signum() <= 0) {
            fields.put("monthly_usd", "required: an amount in USD above 0, such as 100");
        } else {
            BigDecimal amount = monthlyUsd.stripTrailingZeros();
            if (amount.scale() > 4 || amount.precision() - amount.scale() > 16) {
                fields.put("monthly_usd", "at most 4 decimals and 16 digits before the decimal point");
            }
        }
        List<BigDecimal> t = thresholdsOrDefault();
        if (t.isEmpty() || t.size() > MAX_THRESHOLDS || t.stream().anyMatch(x -> x == null || x.signum() <= 0
                || x.compareTo(MAX_THRESHOLD) > 0 || x.stripTrailingZeros().scale() > 4)) {
            fields.put("thresholds", "1 to " + MAX_THRESHOLDS + " thresholds above 0 % and up to 1000 % of the budget,"
                    + " in steps of 0.01 % (0.5 = 50 %)");
        }
        List<String> emails = distinctEmails();
        if (emails.size() > MAX_EMAILS || emails.stream().anyMatch(e -> e == null || !EMAIL.matcher(e).matches())) {
            fields.put("alert_emails", "up to " + MAX_EMAILS + " valid e-mail addresses");
        }
        return fields;
    }

    /**
     * This budget ready to store: the amount and thresholds without trailing zeros, thresholds
     * sorted without duplicates, recipients trimmed without duplicates, the defaults filled in.
     *
     * @throws ApiException 400 ({@code invalid_fields}) with every field of {@link #problems()}
     */
    public BudgetCommand validated() {
        Map<String, String> fields = problems();
        if (!fields.isEmpty()) {
            throw ApiException.invalidFields("the budget is not valid", fields);
        }
        TreeSet<BigDecimal> sorted = new TreeSet<>();
        thresholdsOrDefault().forEach(x -> sorted.add(plain(x)));
        return new BudgetCommand(plain(monthlyUsd), new ArrayList<>(sorted), distinctEmails(),
                Boolean.TRUE.equals(hardCap));
    }

    /** Without trailing zeros, and never in exponent form (100, not 1E+2). */
    private static BigDecimal plain(BigDecimal x) {
        BigDecimal s = x.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private List<BigDecimal> thresholdsOrDefault() {
        return thresholds == null ? Budget.DEFAULT_THRESHOLDS : thresholds;
    }

    private List<String> distinctEmails() {
        return alertEmails == null ? List.of()
                : alertEmails.stream().map(e -> e == null ? null : e.trim()).filter(e -> e == null || !e.isEmpty())
                .distinct().toList();
    }
}
