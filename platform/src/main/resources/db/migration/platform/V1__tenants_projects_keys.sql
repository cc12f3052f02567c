-- Core identity shared by every module: the gateway authenticates against these rows,
-- the tenant API creates them, billing prices per tenant.
create table tenant (
    id            uuid primary key,
    name          text        not null,
    status        text        not null default 'active' check (status in ('active', 'suspended')),
    plan          text        not null default 'free',
    markup        numeric(10, 4) not null default 1.0 check (markup > 0),
    time_zone     text        not null default 'UTC',
    limits        jsonb       not null default '{}'::jsonb,
    stripe_customer_id text,
    created_at    timestamptz not null default now()
);

create table project (
    id          uuid primary key,
    tenant_id   uuid        not null references tenant (id) on delete cascade,
    name        text        not null,
    limits      jsonb       not null default '{}'::jsonb,
    settings    jsonb       not null default '{}'::jsonb,
    created_at  timestamptz not null default now(),
    deleted_at  timestamptz
);
create unique index project_name_per_tenant on project (tenant_id, lower(name)) where deleted_at is null;
create index project_tenant on project (tenant_id);

create table api_key (
    id                   uuid primary key,
    tenant_id            uuid        not null references tenant (id) on delete cascade,
    project_id           uuid        not null references project (id) on delete cascade,
    public_id            varchar(12) not null unique,
    name                 text        not null,
    secret_hash          bytea       not null,
    previous_secret_hash bytea,
    previous_valid_until timestamptz,
    scopes               jsonb       not null default '{}'::jsonb,
    limits               jsonb       not null default '{}'::jsonb,
    metadata             jsonb       not null default '{}'::jsonb,
    route_name           text,
    expires_at           timestamptz,
    revoked_at           timestamptz,
    created_at           timestamptz not null default now(),
    last_used_at         timestamptz
);
create index api_key_tenant on api_key (tenant_id);
create index api_key_project on api_key (project_id);

-- Provider credentials, sealed with AES-GCM under the master key (never stored in clear).
create table provider_credential (
    id          uuid primary key,
    provider    text        not null,
    name        text        not null,
    sealed_key  bytea       not null,
    key_hint    text        not null,
    base_url    text,
    settings    jsonb       not null default '{}'::jsonb,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (provider, name)
);
