-- One row per request through the gateway (streamed or not, cache hit or not, failed or not).
-- The request id is the idempotency key; occurred_at is part of the key because the table is
-- partitioned by month, and a replayed event carries the same occurred_at as the original.
create table usage_event (
    request_id          text        not null,
    occurred_at         timestamptz not null,
    tenant_id           uuid        not null,
    project_id          uuid,
    api_key_id          uuid,
    endpoint            text        not null,
    model_requested     text,
    model_served        text,
    provider            text,
    streamed            boolean     not null default false,
    status              int         not null,
    error_type          text,
    cache_status        text        not null default 'none',
    input_tokens        bigint      not null default 0,
    cached_input_tokens bigint      not null default 0,
    cache_write_tokens  bigint      not null default 0,
    output_tokens       bigint      not null default 0,
    reasoning_tokens    bigint      not null default 0,
    latency_ms          int         not null default 0,
    upstream_latency_ms int,
    ttft_ms             int,
    cost_usd            numeric(20, 10),
    billed_usd          numeric(20, 10),
    saved_usd           numeric(20, 10),
    price_ref           text,
    priced              boolean     not null default false,
    attempts            jsonb,
    primary key (request_id, occurred_at)
) partition by range (occurred_at);

create index usage_event_tenant_time on usage_event (tenant_id, occurred_at);

-- Monthly partitions; usage_event_default catches anything outside the prepared range
-- until the partition maintainer creates the month.
create table usage_event_default partition of usage_event default;

create or replace function ensure_usage_event_partition(month_start date) returns void
language plpgsql as $$
declare
    part text := 'usage_event_' || to_char(month_start, 'YYYY_MM');
begin
    if not exists (select 1 from pg_class where relname = part) then
        execute format('create table %I partition of usage_event for values from (%L) to (%L)',
                       part, month_start, (month_start + interval '1 month')::date);
    end if;
end $$;

do $$
declare
    m date := date '2026-01-01';
begin
    while m < date '2028-01-01' loop
        perform ensure_usage_event_partition(m);
        m := (m + interval '1 month')::date;
    end loop;
end $$;
