-- Operator-managed model aliases (/admin/v1/models): a caller naming the alias is routed to the
-- provider target (a tollgate.providers.<name> entry) with the upstream model. They take
-- precedence over the aliases of the file configuration.
create table gateway_model_mapping (
    alias       text        primary key,
    provider    text        not null,
    model       text        not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
