-- Stripe state of a tenant: the customer (mirrored into tenant.stripe_customer_id) and the
-- subscription to its plan's metered price, created by the account sync with retries
-- (attempts / next_attempt_at; next_attempt_at also leases the row to one worker).
create table stripe_account (
    tenant_id       uuid primary key references tenant (id) on delete cascade,
    customer_id     text,
    subscription_id text,
    plan            text,
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    updated_at      timestamptz not null default now()
);
create index stripe_account_due on stripe_account (next_attempt_at) where subscription_id is null;

-- Installation-wide Stripe objects by our own key: 'meter:<event name>', 'price:<plan>'.
create table stripe_object (
    key        text primary key,
    stripe_id  text        not null,
    created_at timestamptz not null default now()
);

-- Meter-event outbox. A row is one hour's billed amount of one tenant (micro-USD) not yet
-- queued before: the first report of an hour has seq 1; usage rolled into that hour later adds a
-- row with the difference (seq 2, …). identifier = tg-<tenant>-<hour epoch>-<seq> is both the
-- meter event's identifier and its idempotency key, so a resend after a crash or a lost
-- response is never counted twice. event_at: the hour, or the time of queueing when the hour's
-- billing period closed more than the grace period ago (deferred to the next period).
create table stripe_meter_report (
    tenant_id       uuid        not null references tenant (id) on delete cascade,
    hour_start      timestamptz not null,
    seq             int         not null,
    identifier      text        not null unique,
    value_micros    bigint      not null,
    event_at        timestamptz not null,
    deferred        boolean     not null default false,
    status          text        not null default 'pending' check (status in ('pending', 'sent')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    leased_until    timestamptz,
    last_error      text,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz,
    primary key (tenant_id, hour_start, seq)
);
create index stripe_meter_report_due on stripe_meter_report (next_attempt_at) where status = 'pending';
create index stripe_meter_report_hour on stripe_meter_report (hour_start);

-- Webhook events already applied (Stripe delivers at least once).
create table stripe_webhook_event (
    id          text primary key,
    type        text        not null,
    created     timestamptz not null,
    received_at timestamptz not null default now()
);
