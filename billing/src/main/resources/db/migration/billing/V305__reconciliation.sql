-- Reconciliation runs (scheduled or asked for at /admin/v1/reconciliation) and the differences
-- each found, kept for operators. check_name: 'cost' (events re-priced vs stored vs rollups),
-- 'provider' (metered tokens vs the provider's usage API), 'stripe' (reported vs Stripe's
-- meter event summaries). kind: missing_events, token_mismatch, price_mismatch, excess_events.
create table reconciliation_run (
    id          uuid primary key,
    from_day    date        not null,
    to_day      date        not null,
    trigger     text        not null check (trigger in ('scheduled', 'admin')),
    started_at  timestamptz not null,
    finished_at timestamptz not null,
    differences int         not null,
    errors      jsonb       not null default '{}'::jsonb
);
create index reconciliation_run_started on reconciliation_run (started_at desc);

create table reconciliation_difference (
    run_id     uuid not null references reconciliation_run (id) on delete cascade,
    ordinal    int  not null,
    check_name text not null,
    kind       text not null,
    day        date not null,
    provider   text,
    model      text,
    tenant_id  uuid,
    expected   text not null,
    actual     text not null,
    detail     text not null,
    primary key (run_id, ordinal)
);
create index reconciliation_difference_day on reconciliation_difference (day, check_name);
