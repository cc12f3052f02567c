package dev.tollgate.portal.usage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the usage explorer and the request log select: a range of days (inclusive, in the
 * tenant's time zone) and optional project, key, model and status ({@code ok}: below 400,
 * {@code error}: 400 and above, or one HTTP status such as {@code 429}).
 */
public record UsageFilter(LocalDate from, LocalDate to, @Nullable UUID projectId, @Nullable UUID keyId,
                          @Nullable String model, @Nullable String status) {

    /** The longest range read at once. */
    static final long MAX_DAYS = 366;
    private static final Pattern STATUS_CODE = Pattern.compile("[1-5][0-9][0-9]");

    /**
     * The filter of a page's query ({@code from}, {@code to}, {@code project}, {@code key},
     * {@code model}, {@code status}): the last {@code defaultDays} days unless given; a value that
     * cannot be read is replaced and explained in {@code problems}, or ignored, never an error.
     */
    static UsageFilter parse(HttpRequest<?> request, ZoneId zone, int defaultDays, List<String> problems) {
        LocalDate today = LocalDate.now(zone);
        LocalDate to = date(request.getParameters().get("to"), today, "to", problems);
        LocalDate from = date(request.getParameters().get("from"), to.minusDays(defaultDays - 1), "from", problems);
        if (from.isAfter(to)) {
            problems.add("The start date was after the end date; they were swapped.");
            LocalDate t = from;
            from = to;
            to = t;
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            problems.add("At most " + MAX_DAYS + " days at once; the range was shortened.");
            from = to.minusDays(MAX_DAYS - 1);
        }
        String status = text(request.getParameters().get("status"));
        if (status != null) {
            status = status.toLowerCase(Locale.ROOT);
            if (!status.equals("ok") && !status.equals("error") && !STATUS_CODE.matcher(status).matches()) {
                problems.add("\u201cstatus\u201d is ok, error or an HTTP status such as 429; showing every status.");
                status = null;
            }
        }
        return new UsageFilter(from, to, uuid(request.getParameters().get("project")), uuid(request.getParameters().get("key")),
                text(request.getParameters().get("model")), status);
    }

    /** This filter with only its days, for the choices a page offers (models, statuses). */
    UsageFilter daysOnly() {
        return new UsageFilter(from, to, null, null, null, null);
    }

    private static LocalDate date(@Nullable String value, LocalDate fallback, String name, List<String> problems) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            problems.add("\u201c" + name + "\u201d is not a date such as 2026-01-31; showing " + fallback + " instead.");
            return fallback;
        }
    }

    @Nullable
    private static UUID uuid(@Nullable String value) {
        try {
            return value == null || value.isBlank() ? null : UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Nullable
    private static String text(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
