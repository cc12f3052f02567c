-- Per-user opt-outs of billing's optional e-mails (spend-spike alert, weekly report). A user
-- without a row receives both; a row with false removes the address from those mails, whatever
-- source (budget alert list, tenant owners and admins) brought it in.
create table mail_preference (
    tenant_id     uuid        not null references tenant (id) on delete cascade,
    user_id       uuid        not null,
    email         text        not null,
    spend_spike   boolean     not null default true,
    weekly_report boolean     not null default true,
    updated_at    timestamptz not null default now(),
    primary key (tenant_id, user_id)
);
create index mail_preference_email on mail_preference (tenant_id, lower(email));
