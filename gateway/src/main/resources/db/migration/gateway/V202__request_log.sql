-- Opt-in request logging (project.settings.request_logging = true): prompts and answers with
-- personal data and secrets replaced by placeholders ([EMAIL], [CARD] ...). Never written for
-- projects that did not opt in.
create table request_log (
    request_id  text        primary key,
    occurred_at timestamptz not null,
    tenant_id   uuid        not null references tenant (id) on delete cascade,
    project_id  uuid,
    api_key_id  uuid,
    model       text,
    status      int         not null,
    request     jsonb       not null,
    response    text
);
create index request_log_tenant_time on request_log (tenant_id, occurred_at desc);
