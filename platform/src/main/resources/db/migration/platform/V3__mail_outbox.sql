-- Outgoing e-mail. Written by every module through MailOutbox, delivered by billing's worker.
create table mail_outbox (
    id          uuid primary key,
    tenant_id   uuid,
    recipients  text[]      not null,
    subject     text        not null,
    body_text   text        not null,
    body_html   text,
    kind        text        not null,
    dedup_key   text unique,
    status      text        not null default 'queued' check (status in ('queued', 'sent', 'failed', 'held')),
    attempts    int         not null default 0,
    last_error  text,
    next_attempt_at timestamptz not null default now(),
    created_at  timestamptz not null default now(),
    sent_at     timestamptz
);
create index mail_outbox_due on mail_outbox (next_attempt_at) where status = 'queued';
create index mail_outbox_tenant on mail_outbox (tenant_id, created_at desc);
