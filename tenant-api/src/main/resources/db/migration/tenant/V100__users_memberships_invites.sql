-- People who sign in to the management API and portal. An e-mail address belongs to one user;
-- a user belongs to one tenant (the membership's unique user_id) with one role.
create table app_user (
    id            uuid primary key,
    email         text        not null,
    password_hash text        not null,
    created_at    timestamptz not null default now(),
    last_login_at timestamptz
);
create unique index app_user_email on app_user (lower(email));

create table membership (
    tenant_id  uuid        not null references tenant (id) on delete cascade,
    user_id    uuid        not null references app_user (id) on delete cascade,
    role       text        not null check (role in ('owner', 'admin', 'member', 'viewer')),
    created_at timestamptz not null default now(),
    primary key (tenant_id, user_id)
);
create unique index membership_one_tenant_per_user on membership (user_id);

-- Invitations by e-mail. Only the SHA-256 of the one-time link token is stored.
create table invite (
    id          uuid primary key,
    tenant_id   uuid        not null references tenant (id) on delete cascade,
    email       text        not null,
    role        text        not null check (role in ('owner', 'admin', 'member', 'viewer')),
    token_hash  bytea       not null unique,
    invited_by  uuid        references app_user (id) on delete set null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    accepted_at timestamptz,
    revoked_at  timestamptz
);
create unique index invite_pending_per_email on invite (tenant_id, lower(email))
    where accepted_at is null and revoked_at is null;
create index invite_tenant on invite (tenant_id);
