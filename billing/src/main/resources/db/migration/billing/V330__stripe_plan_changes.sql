-- A tenant's plan changed by an operator (tenant.plan) moves its subscription to the new plan's
-- price: the account sync finds rows whose plan differs from the tenant's and swaps the
-- subscription item's price, retried like the account itself (attempts / next_attempt_at /
-- last_error). plan_changes counts the moves made; the next one's idempotency key is
-- tollgate-plan-<tenant>-<plan_changes + 1>-<new plan>, so a retry replays and a later move back
-- to an earlier plan is a new request.
alter table stripe_account add column plan_changes int not null default 0;
