-- Route configs (targets, retries, fallback, load balancing, cache) stored per tenant, or per
-- project when project_id is set; a key names its default route in api_key.route_name, looked up
-- in the key's project first, then tenant-wide.
create table gateway_route (
    id          uuid primary key,
    tenant_id   uuid        not null references tenant (id) on delete cascade,
    project_id  uuid        references project (id) on delete cascade,
    name        text        not null,
    config      jsonb       not null,
    updated_by  uuid,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create unique index gateway_route_scope_name
    on gateway_route (tenant_id, coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid), name);
