-- Versioned price tables. Each import of a price file is one price_source row (its commit, file
-- hash and import time); its providers, models and dated price rows hang off it, so events
-- priced with an older version can always be traced to the exact row used.
create table price_source (
    id             bigserial primary key,
    name           text        not null,
    source_commit  text        not null,
    commit_date    date,
    sha256         text        not null unique,
    imported_at    timestamptz not null default now(),
    provider_count int         not null,
    model_count    int         not null
);

create table price_provider (
    source_id          bigint  not null references price_source (id) on delete cascade,
    provider_id        text    not null,
    ordinal            int     not null,
    name               text    not null,
    api_pattern        text,
    model_match        jsonb,
    provider_match     jsonb,
    fallback_providers text[]  not null default '{}',
    extractors         jsonb,
    primary key (source_id, provider_id)
);

create table price_model (
    source_id      bigint  not null,
    provider_id    text    not null,
    model_id       text    not null,
    ordinal        int     not null,
    name           text,
    match          jsonb   not null,
    context_window bigint,
    deprecated     boolean not null default false,
    primary key (source_id, provider_id, model_id),
    foreign key (source_id, provider_id) references price_provider (source_id, provider_id) on delete cascade
);

-- One entry of a model's price list. starts_on: the file's start_date constraint (UTC date);
-- daily_from/daily_to: its start_time/end_time window (UTC, may wrap midnight); neither: always.
create table price_row (
    id          bigserial primary key,
    source_id   bigint not null,
    provider_id text   not null,
    model_id    text   not null,
    ordinal     int    not null,
    starts_on   date,
    daily_from  time,
    daily_to    time,
    prices      jsonb  not null,
    foreign key (source_id, provider_id, model_id) references price_model (source_id, provider_id, model_id) on delete cascade,
    unique (source_id, provider_id, model_id, ordinal)
);

-- Operator overrides: prices (same keys as the file) replacing the table's for a provider
-- (model null: all its models), a model, or one tenant, over [effective_from, effective_to).
create table price_override (
    id             uuid primary key,
    provider_id    text        not null,
    model_id       text,
    tenant_id      uuid references tenant (id) on delete cascade,
    prices         jsonb       not null,
    effective_from timestamptz not null,
    effective_to   timestamptz,
    note           text,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    check (effective_to is null or effective_to > effective_from)
);
create index price_override_lookup on price_override (provider_id, model_id);
