package dev.tollgate.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.model.billing.Meter;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterListParams;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Gives every tenant a Stripe customer and a subscription to its plan's metered price. Sign-up
 * is noticed by polling {@code tenant} (billing does not depend on the tenant API): a tenant
 * without a {@code stripe_account} row gets one, and due rows are claimed by pushing their
 * {@code next_attempt_at} one lease ahead, so replicas work on disjoint tenants. A failed call
 * is retried with exponential backoff. Every create carries a deterministic idempotency key
 * ({@code tollgate-customer-<tenant>}, {@code tollgate-subscription-<tenant>-<plan>},
 * {@code tollgate-meter-<event name>}, {@code tollgate-price-<plan>-<meter>}), and the meter is
 * looked up by event name before it is created, so a retry never creates a second object.
 * <p>
 * Meter: sum of {@code value} per {@code stripe_customer_id}. Price per plan: USD, monthly,
 * metered on that meter, {@value #UNIT_AMOUNT_CENTS} cents per unit, one unit being one
 * micro-dollar of billed usage (the markup is already in it).
 */
@Singleton
@Requires(property = "tollgate.billing.enabled", notEquals = "false")
@Requires(property = "tollgate.stripe.api-key")
public class StripeAccountSync {

    /** One unit is one micro-dollar: 0.0001 cents. */
    public static final String UNIT_AMOUNT_CENTS = "0.0001";
    private static final Logger LOG = LoggerFactory.getLogger(StripeAccountSync.class);
    private static final int BATCH = 20;

    private final DataSource dataSource;
    private final StripeClient stripe;
    private final StripeConfiguration config;

    public StripeAccountSync(DataSource dataSource, StripeClient stripe, StripeConfiguration config) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.stripe = stripe;
        this.config = config;
    }

    @Scheduled(fixedDelay = "${tollgate.stripe.sync-interval:15s}", initialDelay = "5s")
    void scheduled() {
        try {
            while (runOnce() == BATCH) {
                // drain the backlog
            }
        } catch (RuntimeException e) {
            LOG.error("Stripe account sync failed; retried next cycle", e);
        }
    }

    /** Registers new tenants and works on one batch of due accounts; returns how many were attempted. */
    public int runOnce() {
        exec("""
                insert into stripe_account (tenant_id)
                select t.id from tenant t where not exists (select 1 from stripe_account a where a.tenant_id = t.id)
                on conflict do nothing""");
        List<Claimed> due = claim();
        for (Claimed a : due) {
            try {
                ensure(a);
            } catch (StripeException | RuntimeException e) {
                fail(a, e);
            }
        }
        return due.size();
    }

    private record Claimed(UUID tenantId, String name, String plan, String customerId, int attempts) {
    }

    private List<Claimed> claim() {
        List<Claimed> list = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     update stripe_account a set next_attempt_at = now() + ?::interval, attempts = a.attempts + 1
                       from tenant t
                      where t.id = a.tenant_id and a.tenant_id in (
                            select tenant_id from stripe_account
                             where subscription_id is null and next_attempt_at <= now()
                             order by next_attempt_at limit ? for update skip locked)
                     returning a.tenant_id, t.name, t.plan, coalesce(a.customer_id, t.stripe_customer_id), a.attempts""")) {
            ps.setString(1, config.lease().toSeconds() + " seconds");
            ps.setInt(2, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Claimed(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim Stripe accounts", e);
        }
        return list;
    }

    private void ensure(Claimed a) throws StripeException {
        String customerId = a.customerId();
        if (customerId == null) {
            Customer customer = stripe.v1().customers().create(CustomerCreateParams.builder()
                            .setName(a.name())
                            .putMetadata("tollgate_tenant_id", a.tenantId().toString())
                            .build(),
                    idempotent("tollgate-customer-" + a.tenantId()));
            customerId = customer.getId();
            exec("update tenant set stripe_customer_id = ? where id = ? and stripe_customer_id is null", customerId, a.tenantId());
            exec("update stripe_account set customer_id = ?, updated_at = now() where tenant_id = ?", customerId, a.tenantId());
            LOG.info("Stripe customer {} created for tenant {}", customerId, a.tenantId());
        }
        String price = ensurePrice(a.plan());
        Subscription subscription = stripe.v1().subscriptions().create(SubscriptionCreateParams.builder()
                        .setCustomer(customerId)
                        .addItem(SubscriptionCreateParams.Item.builder().setPrice(price).build())
                        .putMetadata("tollgate_tenant_id", a.tenantId().toString())
                        .putMetadata("tollgate_plan", a.plan())
                        .build(),
                idempotent("tollgate-subscription-" + a.tenantId() + "-" + a.plan()));
        exec("""
                update stripe_account set subscription_id = ?, plan = ?, last_error = null, updated_at = now()
                 where tenant_id = ?""", subscription.getId(), a.plan(), a.tenantId());
    }

    /** The meter of this installation: the stored one, else one found by event name, else a new one. */
    String ensureMeter() throws StripeException {
        String key = "meter:" + config.meterEventName();
        Optional<String> stored = stored(key);
        if (stored.isPresent()) {
            return stored.get();
        }
        String id = null;
        for (Meter m : stripe.v1().billing().meters().list(MeterListParams.builder().setLimit(100L).build()).getData()) {
            if (config.meterEventName().equals(m.getEventName()) && !"inactive".equals(m.getStatus())) {
                id = m.getId();
            }
        }
        if (id == null) {
            id = stripe.v1().billing().meters().create(MeterCreateParams.builder()
                            .setDisplayName("Tollgate billed usage (micro-USD)")
                            .setEventName(config.meterEventName())
                            .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
                                    .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM).build())
                            .setCustomerMapping(MeterCreateParams.CustomerMapping.builder()
                                    .setType(MeterCreateParams.CustomerMapping.Type.BY_ID)
                                    .setEventPayloadKey("stripe_customer_id").build())
                            .setValueSettings(MeterCreateParams.ValueSettings.builder().setEventPayloadKey("value").build())
                            .build(),
                    idempotent("tollgate-meter-" + config.meterEventName())).getId();
        }
        return store(key, id);
    }

    private String ensurePrice(String plan) throws StripeException {
        String key = "price:" + plan;
        Optional<String> stored = stored(key);
        if (stored.isPresent()) {
            return stored.get();
        }
        String meter = ensureMeter();
        Price price = stripe.v1().prices().create(PriceCreateParams.builder()
                        .setCurrency("usd")
                        .setUnitAmountDecimal(new BigDecimal(UNIT_AMOUNT_CENTS))
                        .setRecurring(PriceCreateParams.Recurring.builder()
                                .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                .setUsageType(PriceCreateParams.Recurring.UsageType.METERED)
                                .setMeter(meter).build())
                        .setProductData(PriceCreateParams.ProductData.builder().setName("Tollgate usage (" + plan + ")").build())
                        .setLookupKey("tollgate_" + plan)
                        .putMetadata("tollgate_plan", plan)
                        .build(),
                idempotent("tollgate-price-" + plan + "-" + meter));
        return store(key, price.getId());
    }

    private static RequestOptions idempotent(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    private void fail(Claimed a, Exception e) {
        Instant next = Instant.now().plus(config.backoff(a.attempts()));
        LOG.warn("Stripe account of tenant {} failed (attempt {}), retry at {}: {}", a.tenantId(), a.attempts(), next,
                e.getClass().getSimpleName());
        exec("update stripe_account set last_error = ?, next_attempt_at = ?, updated_at = now() where tenant_id = ?",
                StripeUsageReporter.describe(e), Timestamp.from(next), a.tenantId());
    }

    private Optional<String> stored(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select stripe_id from stripe_object where key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read Stripe objects", e);
        }
    }

    /** Stores {@code id} under {@code key} unless another worker stored one first; returns the stored id. */
    private String store(String key, String id) {
        exec("insert into stripe_object (key, stripe_id) values (?, ?) on conflict (key) do nothing", key, id);
        return stored(key).orElse(id);
    }

    private void exec(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Stripe account bookkeeping failed", e);
        }
    }
}
