-- The month usage queries the API runs (UsageController group_by=day and group_by=model,
-- InvoiceController's running total by provider and model), for March 2026 in the tenant's
-- time zone, on the hourly rollups. :tenant is md5('tenant' || n)::uuid.
\set ON_ERROR_STOP on
\set from '2026-03-01T00:00:00-05:00'
\set to '2026-04-01T00:00:00-04:00'
\timing on
\o /dev/null
select to_char(bucket_start at time zone (select time_zone from tenant where id = :'tenant'), 'YYYY-MM-DD'),
       sum(requests), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(reasoning_tokens),
       sum(billed_usd), sum(unpriced_requests)
  from usage_rollup
 where granularity = 'h' and tenant_id = :'tenant' and bucket_start >= date_trunc('hour', :'from'::timestamptz, 'UTC')
   and bucket_start < :'to'::timestamptz
 group by 1 order by 1;
select model, sum(requests), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(reasoning_tokens),
       sum(billed_usd), sum(unpriced_requests)
  from usage_rollup
 where granularity = 'h' and tenant_id = :'tenant' and bucket_start >= date_trunc('hour', :'from'::timestamptz, 'UTC')
   and bucket_start < :'to'::timestamptz
 group by 1 order by 1;
select provider, model, sum(requests), sum(input_tokens), sum(output_tokens), sum(billed_usd)
  from usage_rollup
 where granularity = 'h' and tenant_id = :'tenant' and bucket_start >= :'from'::timestamptz and bucket_start < :'to'::timestamptz
 group by provider, model having sum(requests) > 0 order by provider, model;
