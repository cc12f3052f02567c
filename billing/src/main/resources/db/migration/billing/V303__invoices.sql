-- Invoices of a tenant. source 'local': drafted by billing from the hourly rollups each month
-- (calendar month in the tenant's time zone) when Stripe is off; 'stripe': mirrored from
-- Stripe's invoice webhooks. Amounts are USD; hosted_url / pdf_url come from Stripe (null locally).
-- state_rank orders statuses (draft 0 < open 1 < paid / void / uncollectible 2) so that a
-- webhook delivered late never moves an invoice back.
create table invoice (
    id                uuid primary key,
    tenant_id         uuid           not null references tenant (id) on delete cascade,
    source            text           not null check (source in ('local', 'stripe')),
    number            text,
    status            text           not null check (status in ('draft', 'open', 'paid', 'void', 'uncollectible')),
    state_rank        int            not null default 0,
    currency          text           not null default 'usd',
    period_start      timestamptz    not null,
    period_end        timestamptz    not null,
    total_usd         numeric(20, 2) not null default 0,
    amount_due_usd    numeric(20, 2) not null default 0,
    amount_paid_usd   numeric(20, 2) not null default 0,
    payment_failed    boolean        not null default false,
    hosted_url        text,
    pdf_url           text,
    stripe_invoice_id text unique,
    created_at        timestamptz    not null default now(),
    updated_at        timestamptz    not null default now(),
    finalized_at      timestamptz,
    paid_at           timestamptz,
    voided_at         timestamptz,
    stripe_event_at   timestamptz,
    check (period_end >= period_start)
);
create unique index invoice_local_period on invoice (tenant_id, period_start) where source = 'local';
create index invoice_tenant on invoice (tenant_id, period_start desc);
create index invoice_local_draft on invoice (period_end) where source = 'local' and status = 'draft';

-- One line per provider and model of the period (local invoices).
create table invoice_line (
    invoice_id    uuid           not null references invoice (id) on delete cascade,
    ordinal       int            not null,
    provider      text           not null,
    model         text           not null,
    requests      bigint         not null,
    input_tokens  bigint         not null,
    output_tokens bigint         not null,
    amount_usd    numeric(20, 2) not null,
    primary key (invoice_id, ordinal)
);
