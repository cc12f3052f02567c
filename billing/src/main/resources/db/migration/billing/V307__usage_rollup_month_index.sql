-- Month queries of one tenant (usage API, invoices, reports) read the hourly rollups of that
-- tenant in a time range. In the heap those rows are scattered among every other tenant's rows
-- of the same hours (a month of a large tenant touched ~36k pages in bench/usage-query), so the
-- rows the queries need are kept, in tenant and time order, in this covering index: an
-- index-only scan over contiguous pages. Rows of closed hours are all-visible once vacuumed,
-- hence the more eager autovacuum on this table.
create index usage_rollup_tenant_hour on usage_rollup (tenant_id, bucket_start)
    include (project_id, api_key_id, model, provider, requests, errors, cache_hits, unpriced_requests, input_tokens,
             cached_input_tokens, output_tokens, reasoning_tokens, billed_usd, saved_usd)
    where granularity = 'h';
alter table usage_rollup set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
