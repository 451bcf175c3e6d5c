import { randomUUID } from 'node:crypto';
import {
  type AnyTraxEvent,
  type SignatureScheme,
  signDelivery,
  type WebhookSecrets,
} from '@trax-webhooks/core';
import { attemptDelivery } from './attempt-delivery.js';
import { checkDeliveryUrl, checkRetryOptions } from './check-delivery-options.js';
import { DEFAULT_RETRY_SCHEDULE, withJitter } from './retry-schedule.js';
import { traceparentHeader } from './traceparent-header.js';

/** Options of {@link sendDelivery}. Give `event` or `payload`. */
export interface SendDeliveryOptions {
  /** Where to POST, e.g. `http://127.0.0.1:3000/webhooks/trax`. */
  url: string | URL;
  /** The signing secret (`whsec_…`), or several while rotating. */
  secret: WebhookSecrets;
  /** The event envelope to send (see `createTestEvent`). */
  event?: AnyTraxEvent;
  /** Any body instead of an event: an object is sent as JSON, a string as it is (to test bad bodies). */
  payload?: unknown;
  /** The delivery id, the same for every attempt. @default `msg_<uuid>` */
  id?: string;
  /**
   * The delay before each attempt in milliseconds; its length is the number of attempts.
   * @default DEFAULT_RETRY_SCHEDULE (0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)
   */
  schedule?: readonly number[];
  /** Each delay is spread by ± this fraction. @default 0.2 */
  jitter?: number;
  /**
   * Wait at least a response's `Retry-After` (409, 429, 503), at most this long, before the next
   * attempt. `0` ignores `Retry-After`. @default 3_600_000 (1 h)
   */
  maxRetryAfterMs?: number;
  /** How long one attempt may take. @default 15_000 */
  timeoutMs?: number;
  /** Stops waiting and aborts the attempt in flight; the report says `aborted: true`. */
  signal?: AbortSignal;
  /**
   * `false` lets an attempt already in flight when `signal` aborts finish (within `timeoutMs`),
   * so a graceful stop does not cut off an answer on its way back.
   * @default true
   */
  abortInFlight?: boolean;
  /** Called after each attempt, e.g. to show progress. */
  onAttempt?: (attempt: DeliveryAttempt) => void;
  /** How to sign. @default standardWebhooksScheme */
  scheme?: SignatureScheme;
  /** Extra request headers (not signed). */
  headers?: Record<string, string>;
  /**
   * A W3C Trace Context `traceparent`, sent on every attempt; none unless given.
   * @example '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
   */
  traceparent?: string;
  /** Random numbers for the jitter (tests). @default Math.random */
  random?: () => number;
}

/** What happened to one attempt. */
export interface DeliveryAttempt {
  /** 1-based. */
  attempt: number;
  /** The HTTP status, when the receiver answered. */
  status?: number;
  /** Why there is no answer (network error, timeout, abort). */
  error?: string;
  /** The start of the receiver's answer, at most 500 characters. */
  responseBody?: string;
  durationMs: number;
  /** When the attempt started. */
  at: Date;
  /** When another attempt follows: how long until it starts. */
  nextAttemptInMs?: number;
}

/** What became of a delivery. */
export interface DeliveryReport {
  /** True once an attempt was answered 2xx. */
  delivered: boolean;
  /** The delivery id every attempt carried. */
  id: string;
  attempts: DeliveryAttempt[];
  /** True when `signal` stopped it. */
  aborted: boolean;
}

/**
 * POSTs one signed delivery the way TRaX promises to: the same delivery id on every attempt,
 * a fresh timestamp and signature (and `webhook-attempt`) per attempt, retries on anything
 * but 2xx following `schedule` with jitter, and gives up when the schedule ends. Never rejects
 * for a failed delivery: the report says what happened.
 *
 * @example
 * ```ts
 * const report = await sendDelivery({
 *   url: 'http://127.0.0.1:3000/webhooks/trax',
 *   secret: process.env.TRAX_WEBHOOK_SECRET!,
 *   event: createTestEvent('stream.live', { studioId: 'st_1' }),
 *   schedule: [0, 1000, 5000],
 * });
 * report.delivered; // true once a 2xx came back
 * ```
 * @throws {TypeError} naming a bad option
 */
export async function sendDelivery(options: SendDeliveryOptions): Promise<DeliveryReport> {
  const {
    schedule = DEFAULT_RETRY_SCHEDULE,
    jitter = 0.2,
    maxRetryAfterMs = 3_600_000,
    timeoutMs = 15_000,
    signal,
    onAttempt,
    random = Math.random,
    abortInFlight = true,
  } = options;
  const url = checkDeliveryUrl(options.url);
  checkRetryOptions({ schedule, jitter, timeoutMs, maxRetryAfterMs });
  if ((options.event === undefined) === (options.payload === undefined)) {
    throw new TypeError('give exactly one of the event and payload options');
  }
  const source = options.event ?? options.payload;
  // Serialised once: every attempt carries the very same bytes.
  const body = typeof source === 'string' ? source : JSON.stringify(source);
  const id = options.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  traceparentHeader(options.traceparent); // a malformed one fails now, not on every attempt
  // Fails fast on a bad secret, before anything is sent.
  signDelivery({ secret: options.secret, payload: body, id, scheme: options.scheme });

  const report: DeliveryReport = { delivered: false, id, attempts: [], aborted: false };
  let extraWaitMs = 0;
  for (let index = 0; index < schedule.length; index++) {
    const waitMs = Math.max(withJitter(schedule[index]!, jitter, random), extraWaitMs);
    const previous = report.attempts.at(-1);
    if (previous) {
      previous.nextAttemptInMs = waitMs;
      onAttempt?.(previous);
    }
    if (!(await sleep(waitMs, signal))) {
      report.aborted = true;
      break;
    }
    const attempt = await attemptOnce(index + 1);
    report.attempts.push(attempt);
    if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
      report.delivered = true;
      break;
    }
    if (signal?.aborted) {
      report.aborted = true;
      break;
    }
  }
  const last = report.attempts.at(-1);
  if (last && last.nextAttemptInMs === undefined) onAttempt?.(last);
  return report;

  async function attemptOnce(attempt: number): Promise<DeliveryAttempt> {
    const result = await attemptDelivery({
      url,
      secret: options.secret,
      body,
      id,
      attempt,
      timeoutMs,
      scheme: options.scheme,
      userAgent: 'trax-webhooks-sender',
      headers: options.headers,
      traceparent: options.traceparent,
      signal: abortInFlight ? signal : undefined,
    });
    // The receiver asked to wait (409, 429, 503 with Retry-After): honour it, up to the cap.
    extraWaitMs = Math.min(maxRetryAfterMs, result.retryAfterMs ?? 0);
    return result.attempt;
  }
}

/** Resolves true after `ms`, false at once if `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(true), ms);
    const onAbort = () => finish(false);
    signal?.addEventListener('abort', onAbort, { once: true });
    function finish(result: boolean) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    }
  });
}
