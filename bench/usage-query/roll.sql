-- One batch of the billing worker's rollup statement (UsageRollupWorker.ROLL, verbatim but for
-- the batch size): claim unrolled events, flag them rolled, add them to the hourly and daily rollups.
\set ON_ERROR_STOP on
with batch as (
    select request_id, occurred_at from usage_event
     where not rolled and (priced or price_ref is not null)
     order by occurred_at limit :batch for update skip locked
), upd as (
    update usage_event e set rolled = true from batch b
     where e.request_id = b.request_id and e.occurred_at = b.occurred_at and not e.rolled
    returning e.*
), hourly as (
    insert into usage_rollup (granularity, bucket_start, tenant_id, project_id, api_key_id, model, provider,
                              requests, errors, cache_hits, unpriced_requests, input_tokens, cached_input_tokens,
                              cache_write_tokens, output_tokens, reasoning_tokens, cost_usd, billed_usd, saved_usd)
    select 'h', date_trunc('hour', occurred_at, 'UTC'), tenant_id,
           coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid),
           coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'::uuid),
           coalesce(model_served, model_requested, ''), coalesce(provider, ''),
           count(*), count(*) filter (where status >= 400),
           count(*) filter (where cache_status in ('hit', 'semantic_hit')), count(*) filter (where not priced),
           sum(input_tokens), sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
           coalesce(sum(cost_usd), 0), coalesce(sum(billed_usd), 0), coalesce(sum(saved_usd), 0)
      from upd group by 2, 3, 4, 5, 6, 7
    on conflict (granularity, tenant_id, bucket_start, project_id, api_key_id, model, provider) do update set
        requests = usage_rollup.requests + excluded.requests, errors = usage_rollup.errors + excluded.errors,
        cache_hits = usage_rollup.cache_hits + excluded.cache_hits,
        unpriced_requests = usage_rollup.unpriced_requests + excluded.unpriced_requests,
        input_tokens = usage_rollup.input_tokens + excluded.input_tokens,
        cached_input_tokens = usage_rollup.cached_input_tokens + excluded.cached_input_tokens,
        cache_write_tokens = usage_rollup.cache_write_tokens + excluded.cache_write_tokens,
        output_tokens = usage_rollup.output_tokens + excluded.output_tokens,
        reasoning_tokens = usage_rollup.reasoning_tokens + excluded.reasoning_tokens,
        cost_usd = usage_rollup.cost_usd + excluded.cost_usd,
        billed_usd = usage_rollup.billed_usd + excluded.billed_usd,
        saved_usd = usage_rollup.saved_usd + excluded.saved_usd
), daily as (
    insert into usage_rollup (granularity, bucket_start, tenant_id, project_id, api_key_id, model, provider,
                              requests, errors, cache_hits, unpriced_requests, input_tokens, cached_input_tokens,
                              cache_write_tokens, output_tokens, reasoning_tokens, cost_usd, billed_usd, saved_usd)
    select 'd', date_trunc('day', occurred_at, 'UTC'), tenant_id,
           coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid),
           coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'::uuid),
           coalesce(model_served, model_requested, ''), coalesce(provider, ''),
           count(*), count(*) filter (where status >= 400),
           count(*) filter (where cache_status in ('hit', 'semantic_hit')), count(*) filter (where not priced),
           sum(input_tokens), sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
           coalesce(sum(cost_usd), 0), coalesce(sum(billed_usd), 0), coalesce(sum(saved_usd), 0)
      from upd group by 2, 3, 4, 5, 6, 7
    on conflict (granularity, tenant_id, bucket_start, project_id, api_key_id, model, provider) do update set
        requests = usage_rollup.requests + excluded.requests, errors = usage_rollup.errors + excluded.errors,
        cache_hits = usage_rollup.cache_hits + excluded.cache_hits,
        unpriced_requests = usage_rollup.unpriced_requests + excluded.unpriced_requests,
        input_tokens = usage_rollup.input_tokens + excluded.input_tokens,
        cached_input_tokens = usage_rollup.cached_input_tokens + excluded.cached_input_tokens,
        cache_write_tokens = usage_rollup.cache_write_tokens + excluded.cache_write_tokens,
        output_tokens = usage_rollup.output_tokens + excluded.output_tokens,
        reasoning_tokens = usage_rollup.reasoning_tokens + excluded.reasoning_tokens,
        cost_usd = usage_rollup.cost_usd + excluded.cost_usd,
        billed_usd = usage_rollup.billed_usd + excluded.billed_usd,
        saved_usd = usage_rollup.saved_usd + excluded.saved_usd
)
select count(*) from upd;
