-- The rollups carry the counts usage events carry since platform V4: 1-hour cache writes (part of
-- cache_write_tokens), audio input (part of input_tokens), cached audio input (part of
-- cached_input_tokens and input_audio_tokens) and audio output (part of output_tokens).
alter table usage_rollup
    add column cache_write_1h_tokens     bigint not null default 0,
    add column input_audio_tokens        bigint not null default 0,
    add column cached_input_audio_tokens bigint not null default 0,
    add column output_audio_tokens       bigint not null default 0;

-- events already rolled with such counts (cached audio is part of audio input), keyed as the worker keys them
update usage_rollup r
   set cache_write_1h_tokens = s.cache_write_1h_tokens, input_audio_tokens = s.input_audio_tokens,
       cached_input_audio_tokens = s.cached_input_audio_tokens, output_audio_tokens = s.output_audio_tokens
  from (select g.granularity, date_trunc(g.unit, occurred_at, 'UTC') as bucket_start, tenant_id,
               coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid) as project_id,
               coalesce(api_key_id, '00000000-0000-0000-0000-000000000000'::uuid) as api_key_id,
               coalesce(model_served, model_requested, '') as model, coalesce(provider, '') as provider,
               sum(cache_write_1h_tokens) as cache_write_1h_tokens, sum(input_audio_tokens) as input_audio_tokens,
               sum(cached_input_audio_tokens) as cached_input_audio_tokens, sum(output_audio_tokens) as output_audio_tokens
          from usage_event cross join (values ('h', 'hour'), ('d', 'day')) g(granularity, unit)
         where rolled and cache_write_1h_tokens + input_audio_tokens + output_audio_tokens > 0
         group by 1, 2, 3, 4, 5, 6, 7) s
 where r.granularity = s.granularity and r.bucket_start = s.bucket_start and r.tenant_id = s.tenant_id
   and r.project_id = s.project_id and r.api_key_id = s.api_key_id and r.model = s.model and r.provider = s.provider;
