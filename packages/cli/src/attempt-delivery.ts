import { type SignatureScheme, signDelivery, type WebhookSecrets } from '@trax-webhooks/core';
import { type DeliveryAttempt, parseRetryAfter } from '@trax-webhooks/testing';

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
 * Never rejects: a network error or a timeout is an attempt without a status.
 *
 * One attempt rather than `sendDelivery`'s whole schedule, because the forwarder's retries are
 * the poller's: the event stays pending there (and the studio's saved state stays behind it)
 * until an attempt is answered 2xx.
 */
export async function attemptDelivery(options: AttemptDeliveryOptions): Promise<AttemptResult> {
  const { url, body, id, attempt, timeoutMs } = options;
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
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...signed.headers, 'user-agent': 'trax-webhooks-forward' },
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
    const reason = signal.aborted ? `timed out after ${timeoutMs} ms` : describeError(error);
    return {
      attempt: { attempt, error: reason, durationMs: elapsed(), at },
      retryAfterMs: undefined,
    };
  }
}

/** A short reason without the request (fetch hides the real one in `cause`). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  if (cause?.code)
    return cause.message?.includes(cause.code)
      ? cause.message
      : `${cause.code}: ${cause.message ?? ''}`;
  return cause?.message ? `${error.message}: ${cause.message}` : error.message;
}
