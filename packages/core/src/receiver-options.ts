import type { DeliveryContext } from './delivery-context.js';
import { checkDeliveryQueue, type DeliveryQueue } from './delivery-queue.js';
import type { DeliveryStore } from './delivery-store.js';
import type { AnyTraxEvent } from './events.js';
import { checkLogger, type WebhookLogger } from './logger.js';
import { MemoryDeliveryStore } from './memory-delivery-store.js';
import { type DeliveryObserver, guardDeliveryObserver } from './observer.js';
import type { WebhookSecrets } from './secrets.js';
import type { SignatureScheme } from './signature-scheme.js';
import { resolveTolerance, type ToleranceOption } from './tolerance.js';
import { createVerifier, type Verifier } from './verify-signature.js';

/** When the sender gets its answer. */
export type AckMode = 'after-handlers' | 'immediate';

/** 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1_048_576;

/** Options of `createTraxWebhooks` (and of every adapter, which adds its own). */
export interface TraxWebhooksOptions {
  /** The signing secret, or several while rotating (`whsec_…` secrets are base64-decoded). */
  secret: WebhookSecrets;
  /** How deliveries are signed. @default standardWebhooksScheme */
  scheme?: SignatureScheme;
  /** How far the signed timestamp may be from now, in seconds, each way. @default 300 */
  tolerance?: ToleranceOption;
  /**
   * Where delivery ids are claimed and remembered. Share one store (e.g. `RedisDeliveryStore`)
   * between processes that receive the same deliveries. A store that says how long it remembers
   * (`ttlMs`) must remember at least as long as the tolerance's past window, or a captured
   * delivery could be replayed after the store forgot it: that throws a `TypeError`.
   * @default new MemoryDeliveryStore()
   */
  store?: DeliveryStore;
  /** The largest body accepted, in bytes; larger ones are answered 413. @default 1_048_576 (1 MiB) */
  bodyLimit?: number;
  /**
   * `'after-handlers'` answers once the handlers settle: a failure answers 500 and the sender
   * retries. `'immediate'` answers 202 as soon as the delivery is verified and claimed and runs
   * the handlers after: the sender never waits, but **a handler failure is not retried** by the
   * sender (it is reported through `onError`) and a crash mid-handler loses the event.
   * @default 'after-handlers'
   */
  ack?: AckMode;
  /**
   * When the store is unreachable: `false` answers 503 so the sender retries later (nothing is
   * lost); `true` runs the handlers without dedupe (a duplicate may run twice) and reports
   * `STORE_UNAVAILABLE` through `onError`. A store that breaks its contract always fails closed.
   * @default false
   */
  failOpen?: boolean;
  /** The `Retry-After` seconds answered with 503 when the store is unavailable. @default 5 */
  storeRetryAfterSeconds?: number;
  /**
   * The key a delivery is deduplicated on. Returning `undefined` falls back to the delivery id.
   * Pass `contentEventKey` to drop the second copy of an event that arrives both polled and pushed.
   * @default (event, ctx) => ctx.deliveryId
   */
  dedupeKey?: (event: AnyTraxEvent, ctx: DeliveryContext) => string | undefined;
  /**
   * Queue mode: each verified delivery is added to this queue (deduplicated on the dedupe key)
   * instead of running the handlers, and answered 202 once the queue confirmed the add, 200
   * `{"duplicate":true}` for a copy, 503 + `Retry-After` when the add fails or times out.
   * Workers run the handlers (`createTraxWorker` from `@trax-webhooks/bullmq`). `handleEvent`
   * (the poller's way in) enqueues too. Not combinable with `ack: 'immediate'`; `failOpen` does
   * not apply (the receiver never runs handlers).
   * @default undefined (handlers run in the receiver)
   * @example
   * ```ts
   * traxWebhooks({ secret, store, queue: createDeliveryQueue({ connection }) });
   * ```
   */
  queue?: DeliveryQueue;
  /** A pino-compatible logger. It never receives a secret, a signature or a body. @default silent */
  logger?: WebhookLogger;
  /**
   * Watches every delivery (received, rejected, duplicate, handled, failed, answered, each
   * handler's duration): `traxTelemetry()` from `@trax-webhooks/otel`, or your own.
   * @default undefined (nothing is observed, at no cost)
   */
  // biome-ignore lint/suspicious/noExplicitAny: each observer keeps its own record type
  observer?: DeliveryObserver<any>;
  /** The clock, in milliseconds (tests). @default Date.now */
  now?: () => number;
}

/** The options once checked, with their defaults. Internal. */
export interface ReceiverSettings {
  readonly store: DeliveryStore;
  readonly bodyLimit: number;
  readonly ack: AckMode;
  readonly failOpen: boolean;
  readonly storeRetryAfterMs: number;
  readonly dedupeKey: TraxWebhooksOptions['dedupeKey'];
  readonly logger: WebhookLogger;
  readonly now: () => number;
  readonly verify: Verifier;
  readonly observer: DeliveryObserver | undefined;
  readonly queue: DeliveryQueue | undefined;
}

/**
 * Checks every option once, at construction.
 *
 * @throws {TypeError} naming the option that is wrong
 */
export function resolveReceiverOptions(options: TraxWebhooksOptions): ReceiverSettings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object with at least a secret');
  }
  const {
    store = new MemoryDeliveryStore(),
    bodyLimit = DEFAULT_BODY_LIMIT,
    ack = 'after-handlers',
    failOpen = false,
    storeRetryAfterSeconds = 5,
    dedupeKey,
    now = Date.now,
  } = options;
  const verify = createVerifier({
    secret: options.secret,
    scheme: options.scheme,
    tolerance: options.tolerance,
    now,
  });
  const logger = checkLogger(options.logger);
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 1)
    throw new TypeError('bodyLimit option must be a positive integer of bytes');
  if (ack !== 'after-handlers' && ack !== 'immediate')
    throw new TypeError('ack option must be "after-handlers" or "immediate"');
  if (typeof failOpen !== 'boolean') throw new TypeError('failOpen option must be a boolean');
  if (!Number.isSafeInteger(storeRetryAfterSeconds) || storeRetryAfterSeconds < 0) {
    throw new TypeError('storeRetryAfterSeconds option must be a nonnegative integer');
  }
  if (dedupeKey !== undefined && typeof dedupeKey !== 'function')
    throw new TypeError('dedupeKey option must be a function');
  for (const method of ['claim', 'complete', 'release'] as const) {
    if (typeof (store as unknown as Record<string, unknown> | null)?.[method] !== 'function') {
      throw new TypeError(`store option must implement DeliveryStore (missing ${method}())`);
    }
  }
  checkReplayWindow(store, options.tolerance);
  const queue = checkDeliveryQueue(options.queue);
  if (queue && ack === 'immediate')
    throw new TypeError('ack option "immediate" cannot be combined with the queue option');
  return {
    store,
    bodyLimit,
    ack,
    failOpen,
    storeRetryAfterMs: storeRetryAfterSeconds * 1000,
    dedupeKey,
    logger,
    now,
    verify,
    observer: guardDeliveryObserver(options.observer, logger),
    queue,
  };
}

/**
 * A store that forgets a delivery while its signature is still inside the replay window lets
 * a captured copy run the handlers again: refuse that pairing at construction.
 */
function checkReplayWindow(store: DeliveryStore, tolerance: ToleranceOption | undefined): void {
  const { ttlMs } = store;
  if (ttlMs === undefined) return;
  const windowMs = resolveTolerance(tolerance).pastSeconds * 1000;
  if (typeof ttlMs !== 'number' || !(ttlMs >= windowMs)) {
    throw new TypeError(
      `store option's ttlMs (${String(ttlMs)} ms) must be at least the tolerance option's past window (${windowMs} ms): a delivery replayed after the store forgot it would run its handlers again`,
    );
  }
}
