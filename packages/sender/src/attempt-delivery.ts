import { type SignatureScheme, signDelivery, type WebhookSecrets } from '@trax-webhooks/core';
import { parseRetryAfter } from './retry-schedule.js';
import type { DeliveryAttempt } from './send-delivery.js';
import { traceparentHeader } from './traceparent-header.js';

/** Options of {@link attemptDelivery}. */
export interface AttemptDeliveryOptions {
  url: URL;
  secret: WebhookSecrets;
  /** The exact bytes to send (the same on every attempt). */
  body: string;
  /** The delivery id, the same on every attempt. */
  id: string;
  /** 1-based; signed into the attempt header of schemes that have one. */
  attempt: number;
  timeoutMs: number;
  scheme?: SignatureScheme;
  /** @default 'trax-webhooks-sender' */
  userAgent?: string;
  /** Extra request headers (not signed; the signature headers win a clash). */
  headers?: Record<string, string>;
  /**
   * A W3C Trace Context `traceparent` to send, so the receiver's trace joins the sender's.
   * Sent only when given: the sender never makes one up (tracing is the caller's choice).
   */
  traceparent?: string;
  /** Aborts the attempt in flight; it then reports the error `aborted`. */
  signal?: AbortSignal;
}

/** One attempt, and the wait the receiver asked for (409, 429, 503 with `Retry-After`). */
export interface AttemptResult {
  attempt: DeliveryAttempt;
  /** From `Retry-After`, in ms; `undefined` when absent, unreadable or on another status. */
  retryAfterMs: number | undefined;
}

const RESPONSE_PREVIEW = 500;

/**
 * POSTs one signed attempt of a delivery: a fresh timestamp and signature, the given id.
 * Never rejects: a network error or a timeout is an attempt without a status. For a sender
 * that drives its own retries (the CLI's forwarder retries through the poller, so an event
 * stays pending there until an attempt is answered 2xx); `sendDelivery` runs a whole schedule.
 *
 * @example
 * ```ts
 * const { attempt, retryAfterMs } = await attemptDelivery({
 *   url: new URL('http://localhost:3000/webhooks/trax'), secret, body, id: 'msg_1', attempt: 1, timeoutMs: 15_000,
 * });
 * ```
 */
export async function attemptDelivery(options: AttemptDeliveryOptions): Promise<AttemptResult> {
  const { url, body, id, attempt, timeoutMs } = options;
  const traceHeaders = traceparentHeader(options.traceparent);
  const signed = signDelivery({
    secret: options.secret,
    payload: body,
    id,
    attempt,
    scheme: options.scheme,
  });
  const at = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        ...options.headers,
        ...traceHeaders,
        ...signed.headers,
        'user-agent': options.userAgent ?? 'trax-webhooks-sender',
      },
      body: signed.body,
      signal,
      // A redirect is the receiver's misconfiguration to see, not something to follow silently.
      redirect: 'manual',
    });
    const text = await response.text();
    const { status } = response;
    const asksToWait = status === 409 || status === 429 || status === 503;
    return {
      attempt: {
        attempt,
        status,
        responseBody: text.slice(0, RESPONSE_PREVIEW),
        durationMs: elapsed(),
        at,
      },
      retryAfterMs: asksToWait ? parseRetryAfter(response.headers.get('retry-after')) : undefined,
    };
  } catch (error) {
    const reason = timeout.aborted
      ? `timed out after ${timeoutMs} ms`
      : signal.aborted
        ? 'aborted'
        : describeError(error);
    return {
      attempt: { attempt, error: reason, durationMs: elapsed(), at },
      retryAfterMs: undefined,
    };
  }
}

/** A short reason without the request (fetch hides the real one in `cause`). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  if (cause?.code)
    return cause.message?.includes(cause.code)
      ? cause.message
      : `${cause.code}: ${cause.message ?? ''}`;
  return cause?.message ? `${error.message}: ${cause.message}` : error.message;
}
