/*
 * Till presence in Redis, changed only by these scripts, so that each change of a till's status
 * happens once, on one replica, however many replicas race (the one whose script made it emits
 * the event). Every key shares one hash tag, so a Redis Cluster runs them on one shard.
 *
 *   dev:{deviceId}      hash: deviceId, workspaceId, companyId, status (online|offline), since,
 *                       lastSeenAt, lostAt (while its last socket is gone, in grace), and what the
 *                       till reported (appVersion, pendingSales, oldestPendingAt, catalogVersion)
 *   conns:{deviceId}    set of `{replicaId}|{socketId}`: the till's sockets, on any replica
 *   replica:{replicaId} set of the devices with a socket on that replica (to reap them if it dies)
 *   replicas            zset replicaId -> when its heartbeat expires
 *   pending             zset deviceId -> when its grace ends
 *   offline             zset deviceId -> since when it is offline
 */

/**
 * KEYS: dev, conns, replica, pending, offline, replicas. ARGV: member, deviceId, now, workspaceId,
 * companyId, appVersion|'', ttl s, replicaId, its heartbeat expiry. Answers {1 if the replica was
 * unknown (its heartbeat is added: a replica killed before its first sweep is reaped too), the
 * record when the till came online}.
 */
export const CONNECT = `
local unknown = redis.call('ZADD', KEYS[6], 'NX', ARGV[9], ARGV[8])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[7])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[7])
redis.call('ZREM', KEYS[4], ARGV[2])
local was = redis.call('HGET', KEYS[1], 'status')
redis.call('HSET', KEYS[1], 'deviceId', ARGV[2], 'workspaceId', ARGV[4], 'companyId', ARGV[5], 'lastSeenAt', ARGV[3])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'appVersion', ARGV[6]) end
redis.call('HDEL', KEYS[1], 'lostAt')
redis.call('EXPIRE', KEYS[1], ARGV[7])
if was == 'online' then return {unknown, {}} end
redis.call('HSET', KEYS[1], 'status', 'online', 'since', ARGV[3])
redis.call('ZREM', KEYS[5], ARGV[2])
return {unknown, redis.call('HGETALL', KEYS[1])}`;

/** KEYS: dev, conns, pending. ARGV: member, deviceId, now, grace ms. Its last socket gone, the till enters its grace. */
export const DISCONNECT = `
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'status') ~= 'online' then return 0 end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[3])
if redis.call('SCARD', KEYS[2]) > 0 then return 0 end
redis.call('HSET', KEYS[1], 'lostAt', ARGV[3])
redis.call('ZADD', KEYS[3], tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[2])
return 1`;

/**
 * KEYS: replicas, pending, offline. ARGV: now, replicaId, its heartbeat expiry, grace ms, key base,
 * heartbeat ttl ms, record ttl s. Renews this replica's heartbeat; reaps the sockets of replicas whose heartbeat
 * expired (killed: their tills enter grace from their last heartbeat); turns tills whose grace
 * ended with no socket offline. Answers {1 if this replica was unknown (reaped, or Redis lost it),
 * the records of the tills that went offline}.
 */
export const SWEEP = `
local now = tonumber(ARGV[1])
local base = ARGV[5]
local rejoined = redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, 20)
for i = 1, #dead, 2 do
  local replica = dead[i]
  local lastBeat = tonumber(dead[i + 1]) - tonumber(ARGV[6])
  local prefix = replica .. '|'
  local devices = base .. ':replica:' .. replica
  for _, device in ipairs(redis.call('SMEMBERS', devices)) do
    local conns = base .. ':conns:' .. device
    for _, member in ipairs(redis.call('SMEMBERS', conns)) do
      if string.sub(member, 1, #prefix) == prefix then redis.call('SREM', conns, member) end
    end
    local dev = base .. ':dev:' .. device
    if redis.call('SCARD', conns) == 0 and redis.call('HGET', dev, 'status') == 'online' and not redis.call('HGET', dev, 'lostAt') then
      redis.call('HSET', dev, 'lostAt', lastBeat)
      redis.call('ZADD', KEYS[2], math.max(now, lastBeat + tonumber(ARGV[4])), device)
    end
  end
  redis.call('DEL', devices)
  redis.call('ZREM', KEYS[1], replica)
end
-- Records expire after a quiet month; their offline entries go with them.
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[7]) * 1000)
local changed = {}
for _, device in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)) do
  redis.call('ZREM', KEYS[2], device)
  local dev = base .. ':dev:' .. device
  local lostAt = redis.call('HGET', dev, 'lostAt')
  if lostAt and redis.call('SCARD', base .. ':conns:' .. device) == 0 then
    redis.call('HSET', dev, 'status', 'offline', 'since', lostAt)
    redis.call('HDEL', dev, 'lostAt')
    redis.call('ZADD', KEYS[3], lostAt, device)
    table.insert(changed, redis.call('HGETALL', dev))
  end
end
return {rejoined, changed}`;
