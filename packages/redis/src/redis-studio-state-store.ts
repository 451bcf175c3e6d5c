import type { StudioState, StudioStateStore } from '@trax-webhooks/core';
import { defineRedisCommand } from './define-redis-command.js';
import { checkKeyPrefix, hashTaggedKey } from './hash-tagged-key.js';
import type { RedisClient } from './redis-client.js';
import { withTimeout } from './with-timeout.js';

/** Options of {@link RedisStudioStateStore}. */
export interface RedisStudioStateStoreOptions {
  /**
   * Prepended to every key. A studio's keys are `${prefix}{${studioId}}:state` and `…:lease`: the
   * braces are a Cluster hash tag, so both land in one slot. No braces in the prefix.
   * @default 'trax-webhooks:studio:'
   */
  prefix?: string;
  /** How long one Redis command may take before it fails (the poller reports it and backs off). @default 2_000 */
  commandTimeoutMs?: number;
}

interface LeaseCommands {
  traxWebhooksStudioLeaseAcquireV1(key: string, owner: string, ttlMs: number): Promise<number>;
  traxWebhooksStudioLeaseReleaseV1(key: string, owner: string): Promise<number>;
}

// Taking a lease the owner already holds answers 1 without extending it, so a command that
// ioredis resends after a reconnect neither fails the owner nor stretches its slot.
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

function isStudioState(value: unknown): value is StudioState {
  const state = value as Partial<StudioState> | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    typeof state.live === 'boolean' &&
    typeof state.updatedAt === 'number' &&
    (!state.live || (typeof state.session === 'object' && state.session !== null))
  );
}

/**
 * The poller's {@link StudioStateStore} on Redis (ioredis): last delivered studio state that
 * survives restarts, and per-studio poll leases that let N poller processes share the polling.
 * Every command is bounded by `commandTimeoutMs`; leases are one atomic Lua script each.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisDeliveryStore, RedisStudioStateStore, recommendedRedisOptions } from '@trax-webhooks/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!, recommendedRedisOptions);
 * const webhooks = createTraxWebhooks({ secret, store: new RedisDeliveryStore(redis) });
 * pollStreamStatus(webhooks, { apiKey, studios, stateStore: new RedisStudioStateStore(redis), lease: true });
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export class RedisStudioStateStore implements StudioStateStore {
  readonly #redis: RedisClient & LeaseCommands;
  readonly #prefix: string;
  readonly #commandTimeoutMs: number;

  constructor(redis: RedisClient, options: RedisStudioStateStoreOptions = {}) {
    if (typeof (redis as { defineCommand?: unknown } | null)?.defineCommand !== 'function') {
      throw new TypeError('redis must be an ioredis client (new Redis(…) or new Cluster(…))');
    }
    if (typeof options !== 'object' || options === null)
      throw new TypeError('options must be an object');
    const { prefix = 'trax-webhooks:studio:', commandTimeoutMs = 2_000 } = options;
    this.#prefix = checkKeyPrefix(prefix);
    if (!Number.isSafeInteger(commandTimeoutMs) || commandTimeoutMs <= 0) {
      throw new TypeError('commandTimeoutMs option must be a positive integer of milliseconds');
    }
    this.#commandTimeoutMs = commandTimeoutMs;
    defineRedisCommand<LeaseCommands>(redis, 'traxWebhooksStudioLeaseAcquireV1', {
      numberOfKeys: 1,
      lua: ACQUIRE,
    });
    this.#redis = defineRedisCommand<LeaseCommands>(redis, 'traxWebhooksStudioLeaseReleaseV1', {
      numberOfKeys: 1,
      lua: RELEASE,
    });
  }

  async get(studioId: string): Promise<StudioState | undefined> {
    const text = await withTimeout(
      this.#redis.get(this.#key(studioId, ':state')),
      this.#commandTimeoutMs,
      'get',
    );
    if (text === null) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    // Never guess: a state we cannot read is an error (the poller reports it), not "never seen".
    if (!isStudioState(value))
      throw new Error(`The stored state of studio ${studioId} is not a studio state`);
    return value;
  }

  async set(studioId: string, state: StudioState): Promise<void> {
    await withTimeout(
      this.#redis.set(this.#key(studioId, ':state'), JSON.stringify(state)),
      this.#commandTimeoutMs,
      'set',
    );
  }

  async acquireLease(studioId: string, owner: string, ttlMs: number): Promise<boolean> {
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
      throw new TypeError('ttlMs must be a positive integer of milliseconds');
    const reply = await withTimeout(
      this.#redis.traxWebhooksStudioLeaseAcquireV1(this.#key(studioId, ':lease'), owner, ttlMs),
      this.#commandTimeoutMs,
      'acquireLease',
    );
    return reply === 1;
  }

  async releaseLease(studioId: string, owner: string): Promise<boolean> {
    const reply = await withTimeout(
      this.#redis.traxWebhooksStudioLeaseReleaseV1(this.#key(studioId, ':lease'), owner),
      this.#commandTimeoutMs,
      'releaseLease',
    );
    return reply === 1;
  }

  #key(studioId: string, suffix: string): string {
    return hashTaggedKey(this.#prefix, studioId, suffix);
  }
}
