package dev.tollgate.tenant.organization;

import dev.tollgate.platform.http.ApiException;
import dev.tollgate.tenant.web.Db;
import io.micronaut.http.HttpStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The time zones a tenant may choose: IANA zone names ({@code Europe/Berlin}, {@code UTC}) that
 * both the JDK and PostgreSQL know, because the gateway cuts quota days and months in Java and
 * billing cuts usage days and invoice months in SQL ({@code at time zone}). Bare offsets
 * ({@code +05:00}) and offset ids ({@code UTC+05:00}) are refused: they ignore daylight saving
 * time, and PostgreSQL reads a POSIX offset with the opposite sign.
 */
public final class TimeZones {

    /** The zone of a tenant that chose none, as the {@code tenant.time_zone} column defaults. */
    public static final String DEFAULT = "UTC";
    /** The request field a refused zone is reported under. */
    public static final String PARAM = "time_zone";

    private static final Set<String> JDK_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());
    /** Region zones ({@code Area/Location}) and UTC, sorted: what a form offers; the legacy aliases still pass {@link #require}. */
    private static final List<String> CHOICES = Stream.concat(Stream.of(DEFAULT), JDK_ZONES.stream()
                    .filter(z -> z.matches("(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z_/-]+")).sorted())
            .toList();

    private TimeZones() {
    }

    /** The zone names a form offers, {@value #DEFAULT} first. */
    public static List<String> choices() {
        return CHOICES;
    }

    /** {@code name} if it is a zone both the JDK and the database know; else a 400 naming {@value #PARAM}. */
    public static String require(Connection c, String name) throws SQLException {
        if (!JDK_ZONES.contains(name) || !knownToDatabase(c, name)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error",
                    "Invalid time_zone: use an IANA time zone name such as Europe/Berlin or America/New_York (UTC offsets are not accepted)",
                    PARAM, "invalid_time_zone", null, null);
        }
        return name;
    }

    private static boolean knownToDatabase(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = Db.prepare(c, "select exists (select 1 from pg_timezone_names where name = ?)", name);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
