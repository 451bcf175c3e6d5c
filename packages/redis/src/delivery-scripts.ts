import { defineRedisCommand } from './define-redis-command.js';
import type { RedisClient } from './redis-client.js';

/*
 * One key per delivery, `${prefix}{${key}}`, holding `p:<token>` while claimed (expires with the
 * lease) or `d:<token>` once done (expires with the TTL). Each operation is one script, so it is
 * atomic and one round trip; each acts only for the token it is given and gives the same answer
 * (with the same effect) when Redis runs it twice, as ioredis may after a reconnect.
 */

/** ARGV: token, leaseMs. Returns 0 claimed, -1 duplicate, or the lease's remaining ms (in flight). */
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if not v or v == 'p:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'p:' .. ARGV[1], 'PX', ARGV[2])
  return 0
end
if string.sub(v, 1, 2) == 'd:' then return -1 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then return tonumber(ARGV[2]) end
if ttl == 0 then return 1 end
return ttl
`;

/** ARGV: token, ttlMs. Returns 1 when the token held the claim (or completed it already), else 0. */
const COMPLETE = `
local v = redis.call('GET', KEYS[1])
if v == 'p:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'd:' .. ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == 'd:' .. ARGV[1] then return 1 end
return 0
`;

/** ARGV: token. Returns 1 when the token's claim was deleted, else 0. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == 'p:' .. ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

/** The delivery store's commands, as ioredis adds them to the client. */
export interface DeliveryCommands {
  traxWebhooksClaimV1(key: string, token: string, leaseMs: number): Promise<number>;
  traxWebhooksCompleteV1(key: string, token: string, ttlMs: number): Promise<number>;
  traxWebhooksReleaseV1(key: string, token: string): Promise<number>;
}

/** Registers the three scripts on the client (once per client) and returns it typed with them. */
export function defineDeliveryCommands(redis: RedisClient): RedisClient & DeliveryCommands {
  defineRedisCommand<DeliveryCommands>(redis, 'traxWebhooksClaimV1', {
    numberOfKeys: 1,
    lua: CLAIM,
  });
  defineRedisCommand<DeliveryCommands>(redis, 'traxWebhooksCompleteV1', {
    numberOfKeys: 1,
    lua: COMPLETE,
  });
  return defineRedisCommand<DeliveryCommands>(redis, 'traxWebhooksReleaseV1', {
    numberOfKeys: 1,
    lua: RELEASE,
  });
}
