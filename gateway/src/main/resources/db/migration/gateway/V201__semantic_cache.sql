-- Answers of the semantic cache. A bucket is the hash of everything in a request except the
-- user's question (tenant, model, system prompt, parameters, route targets); the question is kept
-- only as its embedding (all-MiniLM-L6-v2, 384 float32 values little-endian, unit length).
-- Gateways load a bucket's rows into memory and search them there, so no extension is needed.
create table semantic_cache_entry (
    id          bigserial   primary key,
    tenant_id   uuid        not null references tenant (id) on delete cascade,
    bucket      text        not null,
    embedding   bytea       not null,
    answer      jsonb       not null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null
);
create index semantic_cache_entry_bucket on semantic_cache_entry (tenant_id, bucket, id);
create index semantic_cache_entry_expiry on semantic_cache_entry (expires_at);
