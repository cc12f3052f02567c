-- Settles an admitted request with what it really used.
-- KEYS and ARGV as admit.lua, except per check: kind, limit, delta, param where delta is
--   tpm: tokens used minus tokens reserved;  ctr: the same;  usd: the billed amount in nano-USD.
local now = tonumber(ARGV[1])
local rid = ARGV[2]
local n = tonumber(ARGV[3])
-- ARGV[4] (admit's seed flag) is not used here
for i = 1, n do
  local b = 4 + (i - 1) * 4
  local kind = ARGV[b + 1]
  local limit = tonumber(ARGV[b + 2])
  local delta = tonumber(ARGV[b + 3])
  local param = tonumber(ARGV[b + 4])
  local k1 = KEYS[2 * i - 1]
  local k2 = KEYS[2 * i]
  if kind == 'tpm' and delta ~= 0 then
    local h = redis.call('HMGET', k1, 't', 'ts')
    if h[1] then
      local tokens = math.min(limit, tonumber(h[1]) + (now - tonumber(h[2])) * (limit / param))
      redis.call('HSET', k1, 't', tostring(tokens - delta), 'ts', now)
      redis.call('PEXPIRE', k1, param * 2)
    end
  elseif kind == 'ctr' and delta ~= 0 then
    if redis.call('EXISTS', k1) == 1 then
      redis.call('INCRBY', k1, ARGV[b + 3])
    end
  elseif kind == 'conc' then
    redis.call('ZREM', k1, rid)
  elseif kind == 'usd' then
    redis.call('HDEL', k2, rid)
    -- a missing counter is seeded from the database (which holds this request too once its
    -- event is written); creating it here would hide the rest of the month's spend
    if delta > 0 and redis.call('EXISTS', k1) == 1 then
      redis.call('INCRBY', k1, ARGV[b + 3])
      redis.call('PEXPIRE', k1, param + 86400000)
    end
  end
end
return 1
