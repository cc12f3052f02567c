-- Admits one request against every limit that applies to it, all or nothing.
-- KEYS: two per check (the second is only used by 'usd'). All keys share the tenant's hash tag.
-- ARGV: now_ms, request_id, n, seed (1: report a missing usd counter), then per check: kind, limit, amount, param
--   rpm : sliding 1-minute log (ZSET of request ids by time); param = window ms
--   tpm : token bucket refilled continuously (HASH t, ts); param = window ms
--   ctr : tokens per day / month (counter); param = ms until the period ends
--   conc: concurrent requests (ZSET of request ids by lease expiry); param = lease ms
--   usd : monthly budget in nano-USD: KEYS[1] spent counter, KEYS[2] in-flight HASH id -> "amount:expiry"; param = ms until month end
-- Returns {admitted 1|0, failed check index, retry ms, then remaining and reset ms per check},
-- or {-1, check index, 0} without reserving anything when seed is 1 and that check's usd counter
-- is missing (Redis lost it): the caller seeds it from the database and asks again.
local now = tonumber(ARGV[1])
local rid = ARGV[2]
local n = tonumber(ARGV[3])
local seed = ARGV[4] == '1'
local result = {1, 0, 0}
local state = {}
local failed = 0
local retry = 0
for i = 1, n do
  local b = 4 + (i - 1) * 4
  local kind = ARGV[b + 1]
  local limit = tonumber(ARGV[b + 2])
  local amount = tonumber(ARGV[b + 3])
  local param = tonumber(ARGV[b + 4])
  local k1 = KEYS[2 * i - 1]
  local k2 = KEYS[2 * i]
  local remaining, reset, wait = 0, 0, 0
  if kind == 'rpm' then
    redis.call('ZREMRANGEBYSCORE', k1, '-inf', now - param)
    local count = redis.call('ZCARD', k1)
    local first = redis.call('ZRANGE', k1, 0, 0, 'WITHSCORES')
    local oldest = now
    if first[2] then oldest = tonumber(first[2]) end
    reset = math.max(1, oldest + param - now)
    if count + 1 > limit then
      local over = redis.call('ZRANGE', k1, count - limit, count - limit, 'WITHSCORES')
      wait = reset
      if over[2] then wait = math.max(1, tonumber(over[2]) + param - now) end
      remaining = 0
    else
      remaining = limit - count - 1
    end
  elseif kind == 'tpm' then
    local h = redis.call('HMGET', k1, 't', 'ts')
    local rate = limit / param
    local tokens = limit
    if h[1] then
      tokens = math.min(limit, tonumber(h[1]) + (now - tonumber(h[2])) * rate)
    end
    local need = math.min(amount, limit)
    state[i] = tokens - need
    if tokens < need then
      wait = math.max(1, math.ceil((need - tokens) / rate))
      remaining = math.max(0, math.floor(tokens))
      reset = math.ceil((limit - tokens) / rate)
    else
      remaining = math.floor(tokens - need)
      reset = math.ceil((limit - tokens + need) / rate)
    end
  elseif kind == 'ctr' then
    local used = tonumber(redis.call('GET', k1) or '0')
    reset = param
    if used + amount > limit then
      wait = param
      remaining = math.max(0, limit - used)
    else
      remaining = limit - used - amount
    end
  elseif kind == 'conc' then
    redis.call('ZREMRANGEBYSCORE', k1, '-inf', now)
    local count = redis.call('ZCARD', k1)
    if count + 1 > limit then
      wait = 1000
      remaining = 0
    else
      remaining = limit - count - 1
    end
  elseif kind == 'usd' then
    local counter = redis.call('GET', k1)
    if not counter and seed then
      return {-1, i, 0}
    end
    local spent = tonumber(counter or '0')
    local inflight = 0
    local all = redis.call('HGETALL', k2)
    for j = 1, #all, 2 do
      local v = all[j + 1]
      local sep = string.find(v, ':', 1, true)
      if tonumber(string.sub(v, sep + 1)) < now then
        redis.call('HDEL', k2, all[j])
      else
        inflight = inflight + tonumber(string.sub(v, 1, sep - 1))
      end
    end
    reset = param
    if spent + inflight + amount > limit then
      wait = param
      remaining = math.max(0, limit - spent - inflight)
    else
      remaining = limit - spent - inflight - amount
    end
  end
  if wait > 0 and failed == 0 then
    failed = i
    retry = wait
  end
  result[#result + 1] = remaining
  result[#result + 1] = reset
end
if failed > 0 then
  result[1] = 0
  result[2] = failed
  result[3] = retry
  return result
end
for i = 1, n do
  local b = 4 + (i - 1) * 4
  local kind = ARGV[b + 1]
  local param = tonumber(ARGV[b + 4])
  local k1 = KEYS[2 * i - 1]
  local k2 = KEYS[2 * i]
  if kind == 'rpm' then
    redis.call('ZADD', k1, now, rid)
    redis.call('PEXPIRE', k1, param)
  elseif kind == 'tpm' then
    redis.call('HSET', k1, 't', tostring(state[i]), 'ts', now)
    redis.call('PEXPIRE', k1, param * 2)
  elseif kind == 'ctr' then
    redis.call('INCRBY', k1, ARGV[b + 3])
    redis.call('PEXPIRE', k1, param + 86400000)
  elseif kind == 'conc' then
    redis.call('ZADD', k1, now + param, rid)
    redis.call('PEXPIRE', k1, param)
  elseif kind == 'usd' then
    redis.call('HSET', k2, rid, ARGV[b + 3] .. ':' .. tostring(now + 3600000))
    redis.call('PEXPIRE', k2, 3600000)
  end
end
return result
