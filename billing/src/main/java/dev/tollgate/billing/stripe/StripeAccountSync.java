package dev.tollgate.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.billing.Meter;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.SubscriptionUpdateParams;
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
 * Gives every tenant a Stripe customer and a subscription to its plan's metered price, and keeps
 * the subscription on the tenant's plan when an operator changes it. Sign-up
 * is noticed by polling {@code tenant} (billing does not depend on the tenant API): a tenant
 * without a {@code stripe_account} row gets one, and due rows are claimed by pushing their
 * {@code next_attempt_at} one lease ahead, so replicas work on disjoint tenants. A failed call
 * is retried with exponential backoff. Every create carries a deterministic idempotency key
 * ({@code tollgate-customer-<tenant>}, {@code tollgate-subscription-<tenant>-<plan>},
 * {@code tollgate-meter-<event name>}, {@code tollgate-price-<plan>-<meter>}), and the meter is
 * looked up by event name before it is created, so a retry never creates a second object.
 * <p>
 * Plan change: a row whose {@code plan} differs from {@code tenant.plan} is due as well; its
 * subscription item (the one on the old plan's price) is swapped to the new plan's price with
 * {@code proration_behavior=none} under the key {@code tollgate-plan-<tenant>-<n>-<plan>} (n: the
 * tenant's move count, so a retry replays and a later move back is a new request). Nothing is
 * prorated because nothing is charged in advance: every plan's price is metered at the same
 * amount per unit, usage is reported with the plan's markup already in it, and Stripe invoices
 * the period's usage at its end.
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
            while (runOnce() >= BATCH) {
                // drain the backlog
            }
        } catch (RuntimeException e) {
            LOG.error("Stripe account sync failed; retried next cycle", e);
        }
    }

    /**
     * Registers new tenants and works on one batch of due accounts and one of due plan moves;
     * returns how many were attempted.
     */
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
                fail(a.tenantId(), a.attempts(), e);
            }
        }
        List<Move> moves = claimMoves();
        for (Move m : moves) {
            try {
                move(m);
            } catch (StripeException | RuntimeException e) {
                fail(m.tenantId(), m.attempts(), e);
            }
        }
        return due.size() + moves.size();
    }

    private record Claimed(UUID tenantId, String name, String plan, String customerId, int attempts) {
    }

    private List<Claimed> claim() {
        return lease("""
                select tenant_id from stripe_account
                 where subscription_id is null and next_attempt_at <= now()
                 order by next_attempt_at limit ? for update skip locked""",
                "t.name, t.plan, coalesce(a.customer_id, t.stripe_customer_id), a.attempts", "Stripe accounts",
                rs -> new Claimed(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
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
                update stripe_account set subscription_id = ?, plan = ?, attempts = 0, next_attempt_at = now(), last_error = null,
                       updated_at = now()
                 where tenant_id = ?""", subscription.getId(), a.plan(), a.tenantId());
    }

    private record Move(UUID tenantId, String subscriptionId, String fromPlan, String toPlan, int changes, int attempts) {
    }

    private List<Move> claimMoves() {
        return lease("""
                select m.tenant_id from stripe_account m join tenant mt on mt.id = m.tenant_id
                 where m.subscription_id is not null and m.plan is distinct from mt.plan and m.next_attempt_at <= now()
                 order by m.next_attempt_at limit ? for update of m skip locked""",
                "a.subscription_id, a.plan, t.plan, a.plan_changes, a.attempts", "plan changes",
                rs -> new Move(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getInt(6)));
    }

    /** Reads one claimed row; the first column is the tenant's id. */
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Leases the accounts {@code due} selects (its one parameter being the batch size) for a while, counting an
     * attempt, and reads their {@code a.tenant_id} then {@code columns} (of stripe_account a and tenant t).
     */
    private <T> List<T> lease(String due, String columns, String what, Row<T> row) {
        List<T> list = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     update stripe_account a set next_attempt_at = now() + ?::interval, attempts = a.attempts + 1
                       from tenant t
                      where t.id = a.tenant_id and a.tenant_id in (%s)
                     returning a.tenant_id, %s""".formatted(due, columns))) {
            ps.setString(1, config.lease().toSeconds() + " seconds");
            ps.setInt(2, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(row.read(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim " + what, e);
        }
        return list;
    }

    /** Swaps the subscription item on the old plan's price to the new plan's price (already there: only recorded). */
    private void move(Move m) throws StripeException {
        String price = ensurePrice(m.toPlan());
        Subscription subscription = stripe.v1().subscriptions().retrieve(m.subscriptionId());
        SubscriptionItem item = planItem(subscription, m.fromPlan());
        if (!price.equals(item.getPrice().getId())) {
            stripe.v1().subscriptions().update(m.subscriptionId(), SubscriptionUpdateParams.builder()
                            .addItem(SubscriptionUpdateParams.Item.builder().setId(item.getId()).setPrice(price).build())
                            .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.NONE)
                            .putMetadata("tollgate_plan", m.toPlan())
                            .build(),
                    idempotent("tollgate-plan-" + m.tenantId() + "-" + (m.changes() + 1) + "-" + m.toPlan()));
        }
        exec("""
                update stripe_account set plan = ?, plan_changes = plan_changes + 1, attempts = 0, next_attempt_at = now(),
                       last_error = null, updated_at = now()
                 where tenant_id = ? and plan_changes = ?""", m.toPlan(), m.tenantId(), m.changes());
        LOG.info("Stripe subscription {} of tenant {} moved from plan {} to {}", m.subscriptionId(), m.tenantId(), m.fromPlan(),
                m.toPlan());
    }

    /** The item on {@code plan}'s price, or the only item; anything else needs an operator. */
    private SubscriptionItem planItem(Subscription subscription, String plan) {
        List<SubscriptionItem> items = subscription.getItems() == null ? List.of() : subscription.getItems().getData();
        Optional<String> oldPrice = plan == null ? Optional.empty() : stored("price:" + plan);
        for (SubscriptionItem i : items) {
            if (i.getPrice() != null && oldPrice.isPresent() && oldPrice.get().equals(i.getPrice().getId())) {
                return i;
            }
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        throw new IllegalStateException("subscription " + subscription.getId() + " has " + items.size()
                + " items and none on the price of plan " + plan);
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

    private void fail(UUID tenantId, int attempts, Exception e) {
        Instant next = Instant.now().plus(config.backoff(attempts));
        LOG.warn("Stripe account of tenant {} failed (attempt {}), retry at {}: {}", tenantId, attempts, next,
                e.getClass().getSimpleName());
        exec("update stripe_account set last_error = ?, next_attempt_at = ?, updated_at = now() where tenant_id = ?",
                StripeUsageReporter.describe(e), Timestamp.from(next), tenantId);
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
