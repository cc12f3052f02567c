-- The billing worker's rollup statement (UsageRollupWorker; bench/usage-query/run.sh runs this file too):
-- claim one batch of unrolled events (the bind parameter is the batch size), flag them rolled and add
-- them to the hourly and daily rollups in the same statement; answers the events rolled per tenant.
with batch as (
    select request_id, occurred_at from usage_event
     where not rolled and (priced or price_ref is not null)
     order by occurred_at limit ? for update skip locked
), upd as (
    update usage_event e set rolled = true from batch b
     where e.request_id = b.request_id and e.occurred_at = b.occurred_at and not e.rolled
    returning e.*
), rollup as (
    insert into usage_rollup (granularity, bucket_start, tenant_id, project_id, api_key_id, model, provider,
                              requests, errors, cache_hits, unpriced_requests, input_tokens, cached_input_tokens,
                              cache_write_tokens, output_tokens, reasoning_tokens, cache_write_1h_tokens, input_audio_tokens,
                              cached_input_audio_tokens, output_audio_tokens, cost_usd, billed_usd, saved_usd)
    select g.granularity, date_trunc(g.unit, occurred_at, 'UTC'), tenant_id,
           coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid),
           coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'::uuid),
           coalesce(model_served, model_requested, ''), coalesce(provider, ''),
           count(*), count(*) filter (where status >= 400),
           count(*) filter (where cache_status in ('hit', 'semantic_hit')), count(*) filter (where not priced),
           sum(input_tokens), sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
           sum(cache_write_1h_tokens), sum(input_audio_tokens), sum(cached_input_audio_tokens), sum(output_audio_tokens),
           coalesce(sum(cost_usd), 0), coalesce(sum(billed_usd), 0), coalesce(sum(saved_usd), 0)
      from upd cross join (values ('h', 'hour'), ('d', 'day')) g(granularity, unit)
     group by 1, 2, 3, 4, 5, 6, 7
    on conflict (granularity, tenant_id, bucket_start, project_id, api_key_id, model, provider) do update set
        requests = usage_rollup.requests + excluded.requests, errors = usage_rollup.errors + excluded.errors,
        cache_hits = usage_rollup.cache_hits + excluded.cache_hits,
        unpriced_requests = usage_rollup.unpriced_requests + excluded.unpriced_requests,
        input_tokens = usage_rollup.input_tokens + excluded.input_tokens,
        cached_input_tokens = usage_rollup.cached_input_tokens + excluded.cached_input_tokens,
        cache_write_tokens = usage_rollup.cache_write_tokens + excluded.cache_write_tokens,
        output_tokens = usage_rollup.output_tokens + excluded.output_tokens,
        reasoning_tokens = usage_rollup.reasoning_tokens + excluded.reasoning_tokens,
        cache_write_1h_tokens = usage_rollup.cache_write_1h_tokens + excluded.cache_write_1h_tokens,
        input_audio_tokens = usage_rollup.input_audio_tokens + excluded.input_audio_tokens,
        cached_input_audio_tokens = usage_rollup.cached_input_audio_tokens + excluded.cached_input_audio_tokens,
        output_audio_tokens = usage_rollup.output_audio_tokens + excluded.output_audio_tokens,
        cost_usd = usage_rollup.cost_usd + excluded.cost_usd,
        billed_usd = usage_rollup.billed_usd + excluded.billed_usd,
        saved_usd = usage_rollup.saved_usd + excluded.saved_usd
)
select tenant_id, count(*) from upd group by tenant_id
