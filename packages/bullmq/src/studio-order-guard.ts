import type { AnyTraxEvent, DeliveryContext, EventHandler } from '@trax-webhooks/core';
import { nonEmptyString, positiveInteger } from './check-options.js';

/** What the guard needs of a client: an ioredis `Redis` or `Cluster` fits. */
export interface OrderGuardClient {
  get(key: string): Promise<string | null>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** Options of {@link createStudioOrderGuard}. */
export interface StudioOrderGuardOptions {
  /** The key prefix of the per-studio records. @default 'trax-webhooks:applied:' */
  prefix?: string;
  /** How long a studio's last applied time is remembered. @default 259_200_000 (3 days) */
  ttlMs?: number;
  /** Called instead of the handler for an event older than the last one applied for its studio. */
  onStale?: (event: AnyTraxEvent, ctx: DeliveryContext, lastAppliedAt: Date) => unknown;
}

/** Wraps handlers so that an event older than the last applied for its studio is dropped. */
export type StudioOrderGuard = <E extends AnyTraxEvent>(
  handler: EventHandler<E>,
) => EventHandler<E>;

// Keeps the later of the recorded and the given time, in one atomic step.
const RECORD_LATEST = `local current = redis.call('GET', KEYS[1])
if current and tonumber(current) >= tonumber(ARGV[1]) then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;

/**
 * An opt-in guard against reordering: retries and parallel workers can run a `stream.offline`
 * before a retried `stream.live` of the same session. A guarded handler runs only when the
 * event's `timestamp` is not older than the last event applied (handled without throwing) for
 * its `data.studioId`; an older one is dropped (acknowledged, `onStale` called). Events without
 * a studio or a readable timestamp always run.
 *
 * It narrows the window, it does not serialise: two events of one studio that run at the same
 * moment on two workers both pass the check. Where that matters, make the handler's own write
 * conditional on the timestamp as well.
 *
 * @example
 * ```ts
 * const inOrder = createStudioOrderGuard(redis);
 * webhooks.onStreamLive(inOrder(async (event) => markLive(event.data.studioId)));
 * webhooks.onStreamOffline(inOrder(async (event) => markOffline(event.data.studioId)));
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export function createStudioOrderGuard(
  redis: OrderGuardClient,
  options: StudioOrderGuardOptions = {},
): StudioOrderGuard {
  if (typeof redis?.get !== 'function' || typeof redis.eval !== 'function') {
    throw new TypeError('redis must be an ioredis client');
  }
  const { prefix = 'trax-webhooks:applied:', ttlMs = 3 * 24 * 60 * 60 * 1000, onStale } = options;
  nonEmptyString(prefix, 'prefix');
  positiveInteger(ttlMs, 'ttlMs');
  if (onStale !== undefined && typeof onStale !== 'function') {
    throw new TypeError('onStale option must be a function');
  }

  return function studioOrderGuard<E extends AnyTraxEvent>(handler: EventHandler<E>) {
    return async function guardedHandler(event: E, ctx: DeliveryContext): Promise<void> {
      const studioId = (event.data as { studioId?: unknown } | undefined)?.studioId;
      const at = Date.parse(event.timestamp);
      if (typeof studioId !== 'string' || Number.isNaN(at)) {
        await handler(event, ctx);
        return;
      }
      const key = `${prefix}${studioId}`;
      const last = Number(await redis.get(key));
      if (last > at) {
        await onStale?.(event, ctx, new Date(last));
        return;
      }
      await handler(event, ctx);
      await redis.eval(RECORD_LATEST, 1, key, at, ttlMs);
    };
  };
}
