-- Monthly budgets (calendar month in the tenant's time zone) on a tenant, project or key.
-- Threshold e-mails are deduplicated by mail_outbox.dedup_key (budget, period, threshold).
create table budget (
    id           uuid primary key,
    tenant_id    uuid          not null references tenant (id) on delete cascade,
    scope        text          not null check (scope in ('tenant', 'project', 'key')),
    scope_id     uuid          not null,
    monthly_usd  numeric(20, 4) not null check (monthly_usd > 0),
    thresholds   numeric(6, 4)[] not null,
    alert_emails text[]        not null default '{}',
    hard_cap     boolean       not null default false,
    updated_at   timestamptz   not null default now(),
    unique (scope, scope_id)
);
create index budget_tenant on budget (tenant_id);
