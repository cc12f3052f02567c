package dev.tollgate.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.billing.MeterEventSummary;
import com.stripe.param.billing.MeterEventSummaryListParams;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Stripe's view of the meter: daily sums per customer from the meter event summaries. */
@Singleton
@Requires(property = "tollgate.stripe.api-key")
public class StripeMeterSummaries {

    private final DataSource dataSource;
    private final StripeClient stripe;
    private final StripeConfiguration config;

    public StripeMeterSummaries(DataSource dataSource, StripeClient stripe, StripeConfiguration config) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.stripe = stripe;
        this.config = config;
    }

    /** The meter's id, once the account sync created or found it. */
    public Optional<String> meterId() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select stripe_id from stripe_object where key = ?")) {
            ps.setString(1, "meter:" + config.meterEventName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the meter id", e);
        }
    }

    /** Micro-USD per UTC day of {@code [from, to)} that Stripe aggregated for {@code customer}. */
    public Map<LocalDate, Long> daily(String meterId, String customer, LocalDate from, LocalDate to) throws StripeException {
        Map<LocalDate, Long> days = new HashMap<>();
        for (MeterEventSummary s : stripe.v1().billing().meters().eventSummaries().list(meterId, MeterEventSummaryListParams.builder()
                .setCustomer(customer)
                .setStartTime(from.atStartOfDay(ZoneOffset.UTC).toEpochSecond())
                .setEndTime(to.atStartOfDay(ZoneOffset.UTC).toEpochSecond())
                .setValueGroupingWindow(MeterEventSummaryListParams.ValueGroupingWindow.DAY)
                .setLimit(100L)
                .build()).autoPagingIterable()) {
            days.merge(Instant.ofEpochSecond(s.getStartTime()).atZone(ZoneOffset.UTC).toLocalDate(),
                    s.getAggregatedValue().longValue(), Long::sum);
        }
        return days;
    }
}
