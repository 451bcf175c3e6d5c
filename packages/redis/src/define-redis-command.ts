import type { RedisClient } from './redis-client.js';

/** A Lua script as `redis.defineCommand` takes it. */
export interface RedisCommandDefinition {
  /** How many of the leading arguments are keys (Cluster routes on them). */
  numberOfKeys: number;
  lua: string;
}

/**
 * Registers a Lua script on the client once, under `name`, and returns the client typed with it.
 *
 * ioredis sends `EVALSHA` and falls back to `EVAL` on `NOSCRIPT`, so a script survives a Redis
 * restart. Several stores may share one client: defining the same name twice would only waste
 * work, so a name that is already a function is left as it is. Names carry a version suffix so
 * two releases of this package sharing a client never run each other's script.
 */
export function defineRedisCommand<Commands extends object>(
  redis: RedisClient,
  name: keyof Commands & string,
  definition: RedisCommandDefinition,
): RedisClient & Commands {
  if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function') {
    redis.defineCommand(name, definition);
  }
  return redis as RedisClient & Commands;
}
