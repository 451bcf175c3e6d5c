import { randomBytes } from 'node:crypto';
import type { DeliveryContext, EventSource } from './delivery-context.js';
import type { DeliveryStore } from './delivery-store.js';
import { bodyTooLargeError, isTraxWebhookError, TraxWebhookError } from './errors.js';
import type { AnyTraxEvent } from './events.js';
import type { HeaderSource } from './headers.js';
import { checkLogger, silentLogger, type WebhookLogger } from './logger.js';
import { MemoryDeliveryStore } from './memory-delivery-store.js';
import { parseEvent } from './parse-event.js';
import { isPermanentFailure } from './permanent-failure.js';
import { createEventRouter, type TraxWebhookRouter } from './router.js';
import type { WebhookSecrets } from './secrets.js';
import type { SignatureScheme } from './signature-scheme.js';
import type { ToleranceOption } from './tolerance.js';
import { createVerifier, type Verifier } from './verify-signature.js';
import { errorResponse, jsonResponse, type WebhookResponse } from './webhook-response.js';

/** When the sender gets its answer. */
export type AckMode = 'after-handlers' | 'immediate';

/** Options of {@link createTraxWebhooks}. */
export interface TraxWebhooksOptions {
  /** The signing secret, or several while rotating (`whsec_…` secrets are base64-decoded). */
  secret: WebhookSecrets;
  /** How deliveries are signed. @default standardWebhooksScheme */
  scheme?: SignatureScheme;
  /** How far the signed timestamp may be from now, in seconds, each way. @default 300 */
  tolerance?: ToleranceOption;
  /**
   * Where delivery ids are claimed and remembered. Share one store (e.g. `RedisDeliveryStore`)
   * between processes that receive the same deliveries.
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
   * `STORE_UNAVAILABLE` through `onError`.
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
  /** A pino-compatible logger. It never receives a secret, a signature or a body. @default silent */
  logger?: WebhookLogger;
  /** The clock, in milliseconds (tests). @default Date.now */
  now?: () => number;
}

/** A request as an adapter hands it over: headers and the untouched body bytes. */
export interface WebhookRequest {
  headers: HeaderSource;
  rawBody: Buffer | Uint8Array | string;
  /** When the request arrived. @default now */
  receivedAt?: Date;
}

/** The context of an event handed to {@link TraxWebhooks.handleEvent} directly (the poller does). */
export interface HandleContext {
  deliveryId: string;
  source: EventSource;
  attempt?: number;
  receivedAt?: Date;
}

/** What became of one event. */
export type HandleResult =
  | { readonly outcome: 'handled' }
  | { readonly outcome: 'accepted' }
  | { readonly outcome: 'duplicate' }
  | { readonly outcome: 'in-flight'; readonly retryAfterMs: number }
  | { readonly outcome: 'failed'; readonly error: TraxWebhookError }
  | { readonly outcome: 'failed-permanently'; readonly error: TraxWebhookError }
  | { readonly outcome: 'store-unavailable'; readonly error: TraxWebhookError };

/** The receiver: a typed router plus the pipeline every adapter and the poller call. */
export interface TraxWebhooks extends TraxWebhookRouter {
  /**
   * Runs a request through the pipeline: size limit → verify → parse → claim → handlers →
   * complete (or release on failure). Never rejects: every failure becomes a response.
   */
  receive(request: WebhookRequest): Promise<WebhookResponse>;
  /**
   * Runs an already-trusted event through dedupe and the handlers, without a signature: the
   * poller's way in. Never rejects.
   */
  handleEvent(event: AnyTraxEvent, ctx: HandleContext): Promise<HandleResult>;
  /** Reports an error an adapter found (raw body unavailable, body too large) and answers it. */
  reject(error: TraxWebhookError): Promise<WebhookResponse>;
  /**
   * Resolves once the work that outlives its answer has settled — handlers started by
   * `ack: 'immediate'`, completions and releases still being recorded — for graceful shutdown.
   */
  drain(): Promise<void>;
  /** Verifies one delivery's headers and raw bytes with the configured secrets and scheme. */
  readonly verify: Verifier;
  /** The body limit in bytes, for adapters that read the stream. */
  readonly bodyLimit: number;
  /** The configured logger (silent by default). */
  readonly logger: WebhookLogger;
}

/** The longest `Retry-After` answered with 409 (the lease's remaining time, capped). */
const MAX_IN_FLIGHT_RETRY_AFTER_SECONDS = 5;

// Answers that never vary are built once: the hot path only hands them out. Frozen, so an
// adapter cannot change them for the next request.
const frozen = (response: WebhookResponse): WebhookResponse =>
  Object.freeze({
    ...response,
    headers: Object.freeze(response.headers) as Record<string, string>,
  });
const HANDLED = frozen(jsonResponse(200, { ok: true }));
const ACCEPTED = frozen(jsonResponse(202, { ok: true, accepted: true }));
const DUPLICATE = frozen(jsonResponse(200, { ok: true, duplicate: true }));
const FAILED_PERMANENTLY = frozen(jsonResponse(200, { ok: true, permanentFailure: true }));
const HANDLED_RESULT: HandleResult = Object.freeze({ outcome: 'handled' });
const DUPLICATE_RESULT: HandleResult = Object.freeze({ outcome: 'duplicate' });
const ACCEPTED_RESULT: HandleResult = Object.freeze({ outcome: 'accepted' });

/** 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1_048_576;

interface Claim {
  key: string;
  token: string;
}

/**
 * Creates a framework-free receiver. The Express and Fastify adapters wrap one of these.
 *
 * @example
 * ```ts
 * const webhooks = createTraxWebhooks({ secret: process.env.TRAX_WEBHOOK_SECRET! });
 * webhooks.onStreamLive(async (event, ctx) => notify(event.data.studioId));
 * const { status, headers, body } = await webhooks.receive({ headers: req.headers, rawBody });
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export function createTraxWebhooks(options: TraxWebhooksOptions): TraxWebhooks {
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

  const router = createEventRouter();
  const logsDebug = logger !== silentLogger;
  const nextToken = createClaimTokens();
  /** Work that outlives its answer (see `track`), and who waits in `drain()` for it to end. */
  let background = 0;
  let drained: Array<() => void> = [];

  async function report(error: TraxWebhookError): Promise<void> {
    const fields = {
      code: error.code,
      status: error.status,
      deliveryId: error.deliveryId,
      eventType: error.eventType,
      source: error.source,
      studioId: error.studioId,
    };
    if (error.status >= 500 || error.code === 'HANDLER_FAILED_PERMANENTLY')
      logger.error({ ...fields, err: error.cause }, error.message);
    else logger.warn(fields, error.message);
    await router.emitError(error, (handlerError) =>
      logger.error({ err: handlerError }, 'An onError handler threw'),
    );
  }

  async function reject(error: TraxWebhookError): Promise<WebhookResponse> {
    await report(error);
    return errorResponse(error);
  }

  function storeError(message: string, event: AnyTraxEvent, ctx: DeliveryContext, cause: unknown) {
    return new TraxWebhookError('STORE_UNAVAILABLE', message, {
      deliveryId: ctx.deliveryId,
      eventType: event.type,
      source: ctx.source,
      cause,
    });
  }

  /** Counts work that outlives its answer, so `drain()` can wait for it. */
  function track(task: Promise<unknown>): void {
    background++;
    task.then(untrack, untrack);
  }
  function untrack(): void {
    if (--background > 0) return;
    const waiting = drained;
    drained = [];
    for (const resolve of waiting) resolve();
  }

  /**
   * Records the outcome without holding the answer back: the store call is issued now (so a
   * retry that follows the answer finds it), but a store that stalls or retries (Redis during
   * an outage) must not keep the sender waiting past its own timeout — it would retry a
   * delivery that already succeeded. A failure is reported, never turned into a failed delivery.
   */
  function settle(
    step: 'complete' | 'release',
    claim: Claim,
    event: AnyTraxEvent,
    ctx: DeliveryContext,
  ): void {
    let recorded: Promise<unknown>;
    try {
      // The store's own promise as it is; anything else (a plain value, a foreign thenable from
      // a store written in plain JavaScript) becomes a promise that settles once.
      recorded = Promise.resolve(store[step](claim.key, claim.token));
    } catch (cause) {
      recorded = Promise.reject(cause);
    }
    track(
      recorded.then(undefined, (cause: unknown) => {
        const consequence =
          step === 'complete'
            ? 'a copy arriving after the lease ends may run the handlers again'
            : 'the retry will wait for the lease to end';
        return report(
          storeError(
            `Recording the delivery as ${step === 'complete' ? 'done' : 'failed'} failed; ${consequence}.`,
            event,
            ctx,
            cause,
          ),
        );
      }),
    );
  }

  async function runHandlers(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    claim: Claim | undefined,
  ): Promise<HandleResult> {
    try {
      const dispatched = router.dispatch(event, ctx);
      // A handler that returned no promise is done: skip the turn an `await` would cost.
      if (isThenable(dispatched)) await dispatched;
    } catch (cause) {
      const details = {
        deliveryId: ctx.deliveryId,
        eventType: event.type,
        source: ctx.source,
        cause,
      };
      if (isPermanentFailure(cause)) {
        if (claim) settle('complete', claim, event, ctx);
        const error = new TraxWebhookError(
          'HANDLER_FAILED_PERMANENTLY',
          `A handler for ${event.type} failed permanently; the delivery is acknowledged and will not be retried.`,
          details,
        );
        await report(error);
        return { outcome: 'failed-permanently', error };
      }
      if (claim) settle('release', claim, event, ctx);
      const error = new TraxWebhookError(
        'HANDLER_FAILED',
        `A handler for ${event.type} failed; the delivery will be retried.`,
        details,
      );
      await report(error);
      return { outcome: 'failed', error };
    }
    if (claim) settle('complete', claim, event, ctx);
    if (logsDebug) {
      logger.debug(
        { deliveryId: ctx.deliveryId, eventType: event.type, source: ctx.source },
        'Delivery handled',
      );
    }
    return HANDLED_RESULT;
  }

  async function processEvent(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    mode: AckMode,
  ): Promise<HandleResult> {
    let key: string;
    try {
      key = dedupeKey?.(event, ctx) ?? ctx.deliveryId;
    } catch (cause) {
      // A throwing dedupeKey is the consumer's bug: fail the delivery so it is retried once fixed.
      const error = new TraxWebhookError(
        'HANDLER_FAILED',
        'The dedupeKey option threw; the delivery will be retried.',
        {
          deliveryId: ctx.deliveryId,
          eventType: event.type,
          source: ctx.source,
          cause,
        },
      );
      await report(error);
      return { outcome: 'failed', error };
    }
    const claim: Claim = { key, token: nextToken() };
    let claimed: Awaited<ReturnType<DeliveryStore['claim']>>;
    try {
      claimed = await store.claim(claim.key, claim.token);
    } catch (cause) {
      if (!failOpen) {
        const error = storeError(
          'The delivery store is unavailable; retry later.',
          event,
          ctx,
          cause,
        );
        await report(error);
        return { outcome: 'store-unavailable', error };
      }
      await report(
        storeError(
          'The delivery store is unavailable; running handlers without dedupe (failOpen).',
          event,
          ctx,
          cause,
        ),
      );
      return run(event, ctx, undefined, mode);
    }
    if (claimed.status === 'duplicate') {
      if (logsDebug) {
        logger.debug(
          { deliveryId: ctx.deliveryId, eventType: event.type, source: ctx.source },
          'Duplicate delivery acknowledged',
        );
      }
      return DUPLICATE_RESULT;
    }
    if (claimed.status === 'in-flight') {
      logger.debug(
        { deliveryId: ctx.deliveryId, eventType: event.type, source: ctx.source },
        'The same delivery is in flight; answering 409',
      );
      return { outcome: 'in-flight', retryAfterMs: claimed.retryAfterMs };
    }
    return run(event, ctx, claim, mode);
  }

  function run(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    claim: Claim | undefined,
    mode: AckMode,
  ): Promise<HandleResult> | HandleResult {
    if (mode === 'after-handlers') return runHandlers(event, ctx, claim);
    track(runHandlers(event, ctx, claim));
    return ACCEPTED_RESULT;
  }

  function toContext(ctx: HandleContext): DeliveryContext {
    return {
      deliveryId: ctx.deliveryId,
      source: ctx.source,
      receivedAt: ctx.receivedAt ?? new Date(now()),
      attempt: ctx.attempt,
    };
  }

  function respond(result: HandleResult): WebhookResponse {
    switch (result.outcome) {
      case 'handled':
        return HANDLED;
      case 'accepted':
        return ACCEPTED;
      case 'duplicate':
        return DUPLICATE;
      case 'failed-permanently':
        return FAILED_PERMANENTLY;
      case 'in-flight':
        return jsonResponse(
          409,
          {
            ok: false,
            error: {
              code: 'DELIVERY_IN_FLIGHT',
              message: 'The same delivery is being handled; retry later.',
            },
          },
          // The lease may have far longer to run than the handler needs: come back soon, not
          // when a 30 s lease ends; a retry that finds the delivery done is a cheap 200.
          {
            'retry-after': String(
              Math.min(
                MAX_IN_FLIGHT_RETRY_AFTER_SECONDS,
                Math.max(1, Math.ceil(result.retryAfterMs / 1000)),
              ),
            ),
          },
        );
      case 'store-unavailable':
        return errorResponse(result.error, storeRetryAfterSeconds);
      case 'failed':
        return errorResponse(result.error);
    }
  }

  return {
    ...router,
    verify,
    bodyLimit,
    logger,
    reject,

    async receive(request) {
      const { headers, rawBody } = request;
      const receivedAt = request.receivedAt ?? new Date(now());
      const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody) : rawBody.byteLength;
      if (size > bodyLimit) {
        return reject(bodyTooLargeError(bodyLimit));
      }
      let event: AnyTraxEvent;
      let ctx: DeliveryContext;
      try {
        // (web branch, until the lead's pipeline lands: it awaits only a thenable.)
        const pending = verify(headers, rawBody);
        const verified = isThenable(pending) ? await pending : pending;
        // Only now may anything read the body.
        event = parseEvent(
          typeof rawBody === 'string' || Buffer.isBuffer(rawBody)
            ? rawBody
            : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength),
          verified.id,
        );
        ctx = { deliveryId: verified.id, source: 'webhook', receivedAt, attempt: verified.attempt };
      } catch (error) {
        if (isTraxWebhookError(error)) return reject(error);
        // Only a custom scheme can get here (ours throw nothing else): its reader choked on
        // the headers. Still an answer, never a rejected promise.
        return reject(
          new TraxWebhookError(
            'MALFORMED_HEADER',
            'The signature scheme could not read the delivery headers.',
            {
              cause: error,
            },
          ),
        );
      }
      return respond(await processEvent(event, ctx, ack));
    },

    async handleEvent(event, ctx) {
      return processEvent(event, toContext(ctx), 'after-handlers');
    },

    async drain() {
      while (background > 0) await new Promise<void>((resolve) => drained.push(resolve));
    },
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Claim tokens: unique per claim across every process sharing a store. A random prefix per
 * receiver plus a counter is as unique as a UUID per claim, and cheaper on the hot path.
 */
function createClaimTokens(): () => string {
  // Drawn at the first claim, not at creation: a receiver built before a process snapshot
  // (V8 startup snapshot, VM snapshot) must not share its prefix with every restored copy.
  let prefix: string | undefined;
  let count = 0;
  return () => {
    prefix ??= `${randomBytes(12).toString('base64url')}.`;
    return prefix + (++count).toString(36);
  };
}
