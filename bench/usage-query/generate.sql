-- :events usage events over 2026-01-01 .. 2026-03-31 (90 days) in the monthly partitions of
-- usage_event, priced as the gateway stores them and not yet rolled. 100 tenants: tenant 0
-- (the "big" one) takes 30 % of the traffic, the others share the rest; 20 keys per tenant;
-- 8 models over 3 providers; 2 % errors, 10 % cache hits.
\set ON_ERROR_STOP on
insert into tenant (id, name, time_zone)
select md5('tenant' || t)::uuid, 'bench tenant ' || t, case when t % 2 = 0 then 'America/New_York' else 'Europe/Berlin' end
  from generate_series(0, 99) t;

insert into project (id, tenant_id, name)
select md5('project' || t)::uuid, md5('tenant' || t)::uuid, 'bench'
  from generate_series(0, 99) t;

insert into usage_event (request_id, occurred_at, tenant_id, project_id, api_key_id, endpoint, model_requested, model_served,
                         provider, status, cache_status, input_tokens, cached_input_tokens, output_tokens, latency_ms,
                         cost_usd, billed_usd, saved_usd, price_ref, priced)
select 'req_bench_' || g,
       timestamptz '2026-01-01 00:00:00+00' + (g::bigint * 7776000 / :events) * interval '1 second',
       md5('tenant' || t)::uuid,
       md5('project' || t)::uuid,
       md5('key' || t || '-' || (g % 20))::uuid,
       'chat',
       m.model, m.model, m.provider,
       case when g % 50 = 0 then 500 else 200 end,
       case when g % 10 = 0 then 'hit' else 'miss' end,
       500 + g % 1500, (g % 3) * 100, 50 + g % 400, 200 + g % 900,
       case when g % 10 = 0 then 0 else (500 + g % 1500) * m.in_price + (50 + g % 400) * m.out_price end,
       case when g % 10 = 0 then 0 else (500 + g % 1500) * m.in_price + (50 + g % 400) * m.out_price end,
       case when g % 10 = 0 then (500 + g % 1500) * m.in_price + (50 + g % 400) * m.out_price else 0 end,
       'bench:' || m.model, true
  from generate_series(1, :events) g
  cross join lateral (select case when g % 10 < 3 then 0 else 1 + g % 99 end as t) tt
  join (values (0, 'openai', 'gpt-4o', 0.0000025, 0.00001),
               (1, 'openai', 'gpt-4o-mini', 0.00000015, 0.0000006),
               (2, 'openai', 'gpt-4.1', 0.000002, 0.000008),
               (3, 'openai', 'o3', 0.000002, 0.000008),
               (4, 'anthropic', 'claude-sonnet-4-5', 0.000003, 0.000015),
               (5, 'anthropic', 'claude-3-5-haiku-20241022', 0.0000008, 0.000004),
               (6, 'gemini', 'gemini-2.5-pro', 0.00000125, 0.00001),
               (7, 'gemini', 'gemini-2.5-flash', 0.0000003, 0.0000025)) as m(n, provider, model, in_price, out_price)
    on m.n = (g / 7) % 8;

analyze usage_event;
