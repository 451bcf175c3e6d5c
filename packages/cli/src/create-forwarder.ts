import type {
  AnyTraxEvent,
  EventSink,
  HandleContext,
  HandleResult,
  SignatureScheme,
  TraxWebhookError,
  WebhookSecrets,
} from '@trax-webhooks/core';
import {
  attemptDelivery,
  checkDeliveryUrl,
  checkRetryOptions,
  DEFAULT_RETRY_SCHEDULE,
  type DeliveryAttempt,
  withJitter,
} from '@trax-webhooks/sender';

/** Options of {@link createForwarder}. */
export interface ForwarderOptions {
  /** The receiver's URL. */
  to: string | URL;
  /** The secret to sign with (what the receiver verifies with). */
  secret: WebhookSecrets;
  /**
   * The least delay before each attempt, ms. Past its end the last delay repeats: a delivery is
   * never given up (see {@link createForwarder}).
   * @default DEFAULT_RETRY_SCHEDULE (Standard Webhooks)
   */
  schedule?: readonly number[];
  /** Each delay of `schedule` is spread by ± this fraction. @default 0.2 */
  jitter?: number;
  /** Per attempt. @default 15_000 */
  timeoutMs?: number;
  /**
   * Wait at least a 409/429/503's `Retry-After`, at most this long. @default 3_600_000 (1 h)
   */
  maxRetryAfterMs?: number;
  /**
   * The poller's `intervalMs`: attempts ride on polls, so the next one is never sooner. Only
   * used to say when the next attempt is due (`nextAttemptInMs`). @default 0
   */
  pollIntervalMs?: number;
  /** @default standardWebhooksScheme */
  scheme?: SignatureScheme;
  /** An event was handed over for the first time. */
  onEvent?: (event: AnyTraxEvent, deliveryId: string) => void;
  /** An attempt ended (`nextAttemptInMs` is set when it failed). */
  onAttempt?: (attempt: DeliveryAttempt, event: AnyTraxEvent, deliveryId: string) => void;
  /** An attempt was answered 2xx: the event is delivered. */
  onDelivered?: (event: AnyTraxEvent, deliveryId: string, attempts: number) => void;
  /** The poller reported a problem (API errors, 429, refused key). */
  onError?: (error: TraxWebhookError) => void;
  /**
   * The W3C `traceparent` to send with each attempt, read per attempt so that it names the
   * span active at the time: pass `traceparent` from `@trax-webhooks/otel` and the receiver's
   * delivery span links to the forwarder's trace. `undefined` sends none.
   * @default none
   */
  traceparent?: () => string | undefined;
}

/** A delivery handed over at least once and not answered 2xx yet. */
export interface UndeliveredEvent {
  readonly deliveryId: string;
  readonly event: AnyTraxEvent;
  /** Attempts sent so far. */
  readonly attempts: number;
}

/** A poll target (core's `EventSink`) that forwards each event as a signed delivery. */
export interface Forwarder extends EventSink {
  /**
   * Makes one signed attempt (unless the schedule or the receiver's `Retry-After` says not yet).
   * `handled` on 2xx; otherwise `deferred` with `retryAfterMs` — not done now, nothing is being
   * handled elsewhere — so the poller keeps the event pending, does not move the studio's saved
   * state past it, and hands it over again. Never rejects.
   */
  handleEvent(event: AnyTraxEvent, ctx: HandleContext): Promise<HandleResult>;
  /** Where the poller reports its problems (API errors, a refused key): `onError`. Never rejects. */
  report(error: TraxWebhookError): Promise<void>;
  /** Refuses new attempts from now on (the poller's `stop()` waits for one in flight). */
  stop(): void;
  /** Deliveries handed over at least once and not delivered yet. */
  undelivered(): UndeliveredEvent[];
  /** How many attempts a delivery has had (0 when never handed over). */
  attemptsOf(deliveryId: string): number;
  /** Counts so far. */
  stats(): { delivered: number; failedAttempts: number };
}

interface Delivery {
  readonly event: AnyTraxEvent;
  /** Serialised once: every attempt carries the very same bytes. */
  readonly body: string;
  attempts: number;
  /** No attempt before this (epoch ms): the schedule's delay or the receiver's `Retry-After`. */
  notBefore: number;
}

const HANDLED: HandleResult = Object.freeze({ outcome: 'handled' });

/** Not done now, offer it again after `retryAfterMs` (not `in-flight`: nothing else has it). */
const deferred = (retryAfterMs: number): HandleResult => ({ outcome: 'deferred', retryAfterMs });

/**
 * Forwards polled events to a webhook endpoint as TRaX will deliver them: signed, with the
 * poller's deterministic delivery id (so the receiver's dedupe works across restarts), retried
 * on a schedule.
 *
 * Nothing is acknowledged before it is delivered: each `handleEvent` is one attempt, and until
 * one is answered 2xx the poller keeps the event pending and retries it at the studio's next
 * polls — in order, later events of the studio waiting behind it, the saved studio state not
 * moving past it. So a delivery is never given up, and one still pending at stop is listed by
 * `poller.pendingEvents()` rather than lost silently. Studios do not wait for each other.
 *
 * @example
 * ```ts
 * const forwarder = createForwarder({ to: 'http://localhost:3000/webhooks/trax', secret });
 * const poller = pollStreamStatus(forwarder, { apiKey, studios: ['st_1'] });
 * // at shutdown
 * forwarder.stop();
 * await poller.stop();
 * poller.pendingEvents(); // what was not delivered
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const {
    schedule = DEFAULT_RETRY_SCHEDULE,
    jitter = 0.2,
    timeoutMs = 15_000,
    maxRetryAfterMs = 3_600_000,
    pollIntervalMs = 0,
  } = options;
  const url = checkDeliveryUrl(options.to, 'to');
  checkRetryOptions({ schedule, jitter, timeoutMs, maxRetryAfterMs });
  if (!(pollIntervalMs >= 0))
    throw new TypeError('pollIntervalMs option must be a nonnegative number');
  if (options.traceparent !== undefined && typeof options.traceparent !== 'function')
    throw new TypeError('traceparent option must be a function returning a traceparent');

  const deliveries = new Map<string, Delivery>();
  const counts = { delivered: 0, failedAttempts: 0 };
  let stopped = false;
  /** The delay before attempt `n` (1-based); past the schedule's end, its last delay. */
  const delayBefore = (n: number) =>
    withJitter(schedule[Math.min(n, schedule.length) - 1]!, jitter);

  return {
    async handleEvent(event, ctx) {
      // Stopping: not one more attempt. The event stays pending in the poller, reported at stop.
      if (stopped) return deferred(1_000);
      const id = ctx.deliveryId;
      let delivery = deliveries.get(id);
      if (!delivery) {
        delivery = {
          event,
          body: JSON.stringify(event),
          attempts: 0,
          notBefore: Date.now() + delayBefore(1),
        };
        deliveries.set(id, delivery);
        options.onEvent?.(event, id);
      }
      const wait = delivery.notBefore - Date.now();
      // Not due yet: handed back at a later poll. (ctx.attempt counts these calls too, so the
      // attempt number sent is the forwarder's own count.)
      if (wait > 0) return deferred(wait);

      delivery.attempts++;
      const { attempt, retryAfterMs } = await attemptDelivery({
        url,
        secret: options.secret,
        body: delivery.body,
        id,
        attempt: delivery.attempts,
        timeoutMs,
        scheme: options.scheme,
        userAgent: 'trax-webhooks-forward',
        traceparent: options.traceparent?.(),
      });
      const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
      if (ok) {
        // 2xx, a 200 "duplicate" included: the receiver has it.
        deliveries.delete(id);
        counts.delivered++;
        options.onAttempt?.(attempt, event, id);
        options.onDelivered?.(event, id, delivery.attempts);
        return HANDLED;
      }
      counts.failedAttempts++;
      const delay = Math.max(
        delayBefore(delivery.attempts + 1),
        Math.min(maxRetryAfterMs, retryAfterMs ?? 0),
      );
      delivery.notBefore = Date.now() + delay;
      attempt.nextAttemptInMs = Math.max(delay, pollIntervalMs);
      options.onAttempt?.(attempt, event, id);
      return deferred(delay);
    },
    async report(error) {
      try {
        options.onError?.(error);
      } catch {
        // report() never rejects (the poller's contract); the callback is the only outlet there is.
      }
    },
    stop() {
      stopped = true;
    },
    undelivered: () =>
      [...deliveries].map(([deliveryId, { event, attempts }]) => ({ deliveryId, event, attempts })),
    attemptsOf: (deliveryId) => deliveries.get(deliveryId)?.attempts ?? 0,
    stats: () => ({ ...counts }),
  };
}
