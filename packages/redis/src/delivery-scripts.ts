import { createHash } from 'node:crypto';
import { defineRedisCommand } from './define-redis-command.js';
import type { RedisClient } from './redis-client.js';

/*
 * One key per delivery, `${prefix}{${key}}`, holding `p:<leaseEndsAtMs>:<token>` while claimed or
 * `d:` once done (expiring with the TTL; earlier releases wrote `d:<token>`, read the same way).
 * Each operation is one script, so it is atomic and one round trip; each acts only for the token
 * it is given and gives the same answer (with the same effect) when Redis runs it twice, as
 * ioredis may after a reconnect.
 *
 * The lease end lives inside the value, read against Redis' own clock (`TIME`), rather than in
 * the key's expiry: the claim record outlives its lease (PX = lease + TTL) so that a handler
 * slower than the lease, or a completion delayed by a Redis outage, can still be recorded as
 * long as no other claimer took the delivery over. A record whose lease ended counts as free.
 */

/** Redis' clock in milliseconds: every process compares lease ends against the same clock. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * ARGV: token, leaseMs, keepMs (how long the claim record lives; lease + TTL).
 * Returns 0 claimed, -1 duplicate, or the lease's remaining ms (in flight).
 */
const CLAIM = `${NOW}
local v = redis.call('GET', KEYS[1])
if v then
  if string.sub(v, 1, 2) == 'd:' then return -1 end
  local leaseEnd, holder = string.match(v, '^p:(%d+):(.*)$')
  if holder == nil then
    -- Not a record of this version (an older release sharing the Redis): wait for its expiry.
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl < 0 then return tonumber(ARGV[2]) end
    if ttl == 0 then return 1 end
    return ttl
  end
  leaseEnd = tonumber(leaseEnd)
  if holder ~= ARGV[1] and leaseEnd > now then return leaseEnd - now end
end
redis.call('SET', KEYS[1], string.format('p:%.0f:', now + tonumber(ARGV[2])) .. ARGV[1], 'PX', ARGV[3])
return 0
`;

/**
 * ARGV: token, ttlMs. Returns 1 when the token holds the claim — even past its lease, as long as
 * no one took it over — or the delivery is done already; else 0.
 */
const COMPLETE = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
if string.sub(v, 1, 2) == 'd:' then return 1 end
if string.match(v, '^p:%d+:(.*)$') == ARGV[1] then
  redis.call('SET', KEYS[1], 'd:', 'PX', ARGV[2])
  return 1
end
return 0
`;

/** ARGV: token. Returns 1 when the token's claim was deleted, else 0. */
const RELEASE = `
local v = redis.call('GET', KEYS[1])
if v and string.match(v, '^p:%d+:(.*)$') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

/** The delivery store's commands, as ioredis adds them to the client. */
export interface DeliveryCommands {
  traxWebhooksClaimV2(key: string, token: string, leaseMs: number, keepMs: number): Promise<number>;
  traxWebhooksCompleteV2(key: string, token: string, ttlMs: number): Promise<number>;
  traxWebhooksReleaseV2(key: string, token: string): Promise<number>;
}

/** Registers the three scripts on the client (once per client) and returns it typed with them. */
export function defineDeliveryCommands(redis: RedisClient): RedisClient & DeliveryCommands {
  defineRedisCommand<DeliveryCommands>(redis, 'traxWebhooksClaimV2', {
    numberOfKeys: 1,
    lua: CLAIM,
  });
  defineRedisCommand<DeliveryCommands>(redis, 'traxWebhooksCompleteV2', {
    numberOfKeys: 1,
    lua: COMPLETE,
  });
  return defineRedisCommand<DeliveryCommands>(redis, 'traxWebhooksReleaseV2', {
    numberOfKeys: 1,
    lua: RELEASE,
  });
}

/** The store's three operations, each one script run by EVALSHA; every one answers a number. */
export interface DeliveryScripts {
  claim(key: string, token: string, leaseMs: number, keepMs: number): Promise<number>;
  complete(key: string, token: string, ttlMs: number): Promise<number>;
  release(key: string, token: string): Promise<number>;
}

/** The one client method the hot path calls (`Redis` and `Cluster` both have it). */
interface EvalShaClient {
  evalsha(sha: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

const CLAIM_SHA = sha1(CLAIM);
const COMPLETE_SHA = sha1(COMPLETE);
const RELEASE_SHA = sha1(RELEASE);

/**
 * The scripts, sent as plain `EVALSHA` commands. The commands that `defineCommand` adds do the
 * same, but ioredis builds each of their calls as an instance of a class of its own per script,
 * which made ioredis' share of a delivery about twice that of two plain EVALSHA calls
 * (bench:redis profile). Only when Redis does not know a script (restarted, `SCRIPT FLUSH`, a new
 * Cluster node) does the call go through the defined command, which sends `EVAL` and so loads
 * it again; an EVALSHA refused with NOSCRIPT did not run, so the script still runs once.
 */
export function deliveryScripts(redis: RedisClient): DeliveryScripts {
  const defined = defineDeliveryCommands(redis);
  const client = redis as unknown as EvalShaClient;
  return {
    claim: (key, token, leaseMs, keepMs) =>
      orLoad(client.evalsha(CLAIM_SHA, 1, key, token, leaseMs, keepMs), () =>
        defined.traxWebhooksClaimV2(key, token, leaseMs, keepMs),
      ),
    complete: (key, token, ttlMs) =>
      orLoad(client.evalsha(COMPLETE_SHA, 1, key, token, ttlMs), () =>
        defined.traxWebhooksCompleteV2(key, token, ttlMs),
      ),
    release: (key, token) =>
      orLoad(client.evalsha(RELEASE_SHA, 1, key, token), () =>
        defined.traxWebhooksReleaseV2(key, token),
      ),
  };
}

function orLoad(sent: Promise<unknown>, load: () => Promise<number>): Promise<number> {
  return (sent as Promise<number>).catch((error: unknown) =>
    error instanceof Error && error.message.includes('NOSCRIPT') ? load() : Promise.reject(error),
  );
}

function sha1(lua: string): string {
  return createHash('sha1').update(lua).digest('hex');
}
