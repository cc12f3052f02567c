package dev.tollgate.portal.web;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How pages write money, counts, percentages and times (in the tenant's time zone). */
public record Fmt(ZoneId zone) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);

    /** Dollars with cents; amounts under a dollar with up to 4 (under a hundredth of a cent, 8) decimals. */
    public String usd(@Nullable BigDecimal amount) {
        if (amount == null) {
            return "—";
        }
        BigDecimal abs = amount.abs();
        int scale = abs.compareTo(BigDecimal.ONE) >= 0 ? 2 : abs.compareTo(new BigDecimal("0.0001")) >= 0 ? 4 : 8;
        DecimalFormat f = new DecimalFormat("#,##0." + "0".repeat(2) + "#".repeat(Math.max(0, scale - 2)),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_UP);
        return (amount.signum() < 0 ? "-$" : "$") + f.format(abs);
    }

    /** An amount of an invoice, in any currency: to the cent with thousands separators ({@code 1,234.50}). */
    public String cents(@Nullable BigDecimal amount) {
        return amount == null ? "—" : String.format(Locale.ROOT, "%,.2f", amount.setScale(2, RoundingMode.HALF_UP));
    }

    public String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    public String time(@Nullable Instant instant) {
        return instant == null ? "—" : TIME.format(instant.atZone(zone));
    }

    public String day(@Nullable Instant instant) {
        return instant == null ? "—" : DAY.format(instant.atZone(zone));
    }

    /** "3 minutes ago" style, for last-used columns. */
    public String ago(@Nullable Instant instant) {
        if (instant == null) {
            return "never";
        }
        long s = Math.max(0, (System.currentTimeMillis() - instant.toEpochMilli()) / 1000);
        if (s < 60) {
            return "just now";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86400) {
            return s / 3600 + " h ago";
        }
        return s / 86400 + " days ago";
    }
}
