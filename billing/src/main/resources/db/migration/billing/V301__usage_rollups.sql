-- Rollups of usage_event, maintained by the billing worker. Each event is rolled exactly once:
-- the worker flips usage_event.rolled in the same statement that adds the event to the hourly
-- and daily rows (rows locked with skip locked, so concurrent workers take disjoint batches).
-- The column lives on the platform's usage_event table because a per-event flag with a partial
-- index is the only cheap way to find late-arriving events among millions.
alter table usage_event add column rolled boolean not null default false;
create index usage_event_unrolled on usage_event (occurred_at) where not rolled;
create index usage_event_unpriced on usage_event (occurred_at) where not priced;

-- granularity 'h' (bucket_start on the UTC hour) or 'd' (UTC day). Null project / key / model
-- are stored as the zero uuid / '' so that they take part in the primary key.
create table usage_rollup (
    granularity         char(1)     not null check (granularity in ('h', 'd')),
    tenant_id           uuid        not null,
    bucket_start        timestamptz not null,
    project_id          uuid        not null,
    api_key_id          uuid        not null,
    model               text        not null,
    provider            text        not null,
    requests            bigint      not null,
    errors              bigint      not null,
    cache_hits          bigint      not null,
    unpriced_requests   bigint      not null,
    input_tokens        bigint      not null,
    cached_input_tokens bigint      not null,
    cache_write_tokens  bigint      not null,
    output_tokens       bigint      not null,
    reasoning_tokens    bigint      not null,
    cost_usd            numeric(24, 10) not null,
    billed_usd          numeric(24, 10) not null,
    saved_usd           numeric(24, 10) not null,
    primary key (granularity, tenant_id, bucket_start, project_id, api_key_id, model, provider)
);
