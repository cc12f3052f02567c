package dev.tollgate.billing.price;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * One entry of a model's price list with its constraint: from a UTC date on
 * ({@code start_date}), within a daily UTC window ({@code start_time}–{@code end_time}, which may
 * wrap past midnight), or always (no constraint).
 */
public record PricePeriod(long rowId, @Nullable LocalDate startsOn, @Nullable LocalTime dailyFrom, @Nullable LocalTime dailyTo,
                          ModelPrice price) {

    public boolean activeAt(Instant at) {
        if (startsOn != null) {
            return !at.atOffset(ZoneOffset.UTC).toLocalDate().isBefore(startsOn);
        }
        if (dailyFrom != null && dailyTo != null) {
            LocalTime t = at.atOffset(ZoneOffset.UTC).toLocalTime();
            if (dailyTo.isBefore(dailyFrom)) {
                return !t.isBefore(dailyFrom) || t.isBefore(dailyTo);
            }
            return !t.isBefore(dailyFrom) && t.isBefore(dailyTo);
        }
        return true;
    }

    /** A short label for price references: the start date or the daily window, empty when unconstrained. */
    public String label() {
        if (startsOn != null) {
            return "@" + startsOn;
        }
        if (dailyFrom != null) {
            return "@" + dailyFrom + "-" + dailyTo + "Z";
        }
        return "";
    }
}
