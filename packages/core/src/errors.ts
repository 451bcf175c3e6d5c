/**
 * Every failure trax-webhooks reports. Codes that end in an HTTP answer are listed in
 * `answers.ts` with their status and headers; the `POLL_*` codes never reach HTTP (the poller
 * reports them through `onError`) and carry no status.
 * A duplicate delivery is not here: it is a success.
 */
export const TraxWebhookErrorCode = {
  /** A required header (delivery id, timestamp or signature) is absent. */
  MISSING_HEADER: 'MISSING_HEADER',
  /** A header is present but unreadable (a timestamp that is not a number, an empty signature list). */
  MALFORMED_HEADER: 'MALFORMED_HEADER',
  /** No signature matched any configured secret. */
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  /** The signed timestamp is older than the tolerance allows (a replay, or a clock far behind). */
  TIMESTAMP_TOO_OLD: 'TIMESTAMP_TOO_OLD',
  /** The signed timestamp is further in the future than the tolerance allows. */
  TIMESTAMP_TOO_NEW: 'TIMESTAMP_TOO_NEW',
  /** The verified body is not JSON text (not UTF-8, or not JSON). */
  INVALID_JSON: 'INVALID_JSON',
  /** The verified body is JSON but not a `{ type, timestamp, data }` envelope. */
  INVALID_ENVELOPE: 'INVALID_ENVELOPE',
  /** The request used another method than POST on the webhook path. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** The body did not finish arriving in time (a sender that stalls half-way). */
  BODY_TIMEOUT: 'BODY_TIMEOUT',
  /** The same delivery is being handled right now (a concurrent copy): come back later. */
  DELIVERY_IN_FLIGHT: 'DELIVERY_IN_FLIGHT',
  /** The body is larger than the configured limit. */
  BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  /** The raw bytes are not available (a body parser consumed them first). */
  RAW_BODY_UNAVAILABLE: 'RAW_BODY_UNAVAILABLE',
  /** A handler threw or rejected: the delivery is released so the retry runs it again. */
  HANDLER_FAILED: 'HANDLER_FAILED',
  /** A handler failed and marked the failure permanent: acknowledged, not retried. */
  HANDLER_FAILED_PERMANENTLY: 'HANDLER_FAILED_PERMANENTLY',
  /** The delivery store could not be reached, or broke its contract: the sender should retry later. */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  /** Polling stream-status failed (network error, timeout, 5xx, a body that is not stream-status): the last state is kept. */
  POLL_FAILED: 'POLL_FAILED',
  /** Stream-status answered 401 or 403: the API key was rejected for the studio; polling it stopped. */
  POLL_UNAUTHORIZED: 'POLL_UNAUTHORIZED',
  /** Stream-status answered 429: the poller waits as long as the API asks. */
  POLL_RATE_LIMITED: 'POLL_RATE_LIMITED',
  /** Stream-status answered 404: no such studio for this key; the poller backs off. */
  POLL_NOT_FOUND: 'POLL_NOT_FOUND',
} as const;

export type TraxWebhookErrorCode = (typeof TraxWebhookErrorCode)[keyof typeof TraxWebhookErrorCode];

/** The codes that never reach HTTP: the poller reports them, nothing answers them. */
export type PollErrorCode = Extract<TraxWebhookErrorCode, `POLL_${string}`>;

/** The codes a receiver answers over HTTP. */
export type HttpErrorCode = Exclude<TraxWebhookErrorCode, PollErrorCode>;

/** The HTTP status of an error of code `C`: a number for {@link HttpErrorCode}, `undefined` for poll codes. */
export type StatusOf<C extends TraxWebhookErrorCode> = C extends HttpErrorCode ? number : undefined;

/**
 * The HTTP status each answered code carries. The headers and body of each answer are decided
 * in `answers.ts`; this map is the status alone, so the error class can carry it.
 */
export const statusOfErrorCode: Readonly<Record<HttpErrorCode, number>> = Object.freeze({
  MISSING_HEADER: 400,
  MALFORMED_HEADER: 400,
  INVALID_JSON: 400,
  INVALID_ENVELOPE: 400,
  INVALID_SIGNATURE: 401,
  TIMESTAMP_TOO_OLD: 401,
  TIMESTAMP_TOO_NEW: 401,
  METHOD_NOT_ALLOWED: 405,
  BODY_TIMEOUT: 408,
  DELIVERY_IN_FLIGHT: 409,
  BODY_TOO_LARGE: 413,
  RAW_BODY_UNAVAILABLE: 500,
  HANDLER_FAILED: 500,
  HANDLER_FAILED_PERMANENTLY: 200,
  STORE_UNAVAILABLE: 503,
});

/** True when `code` is answered over HTTP (every code but the `POLL_*` ones). */
export function isHttpErrorCode(code: TraxWebhookErrorCode): code is HttpErrorCode {
  return Object.hasOwn(statusOfErrorCode, code);
}

/** Extra facts an error may carry; never a secret, a signature or a body. */
export interface TraxWebhookErrorDetails {
  /** The delivery id, only once the delivery's signature has been verified. */
  deliveryId?: string;
  /** The event type, only once the body has been verified and parsed. */
  eventType?: string;
  /** Where the event came from, when known. */
  source?: 'webhook' | 'poll';
  /** The underlying error (a handler's throw, a store's failure). */
  cause?: unknown;
  /** The studio a polling error is about. */
  studioId?: string;
  /**
   * How long the sender should wait before retrying, in milliseconds (`Retry-After`), for
   * `DELIVERY_IN_FLIGHT` and `STORE_UNAVAILABLE`.
   */
  retryAfterMs?: number;
}

/**
 * The one error class of trax-webhooks. Its message is safe to log: it never contains a
 * secret, a signature or a body.
 *
 * @example
 * ```ts
 * webhooks.onError((error) => {
 *   if (error.code === 'INVALID_SIGNATURE') metrics.increment('webhook.forged');
 * });
 * ```
 */
export class TraxWebhookError<C extends TraxWebhookErrorCode = TraxWebhookErrorCode> extends Error {
  override readonly name = 'TraxWebhookError';
  /** What went wrong, from {@link TraxWebhookErrorCode}. */
  readonly code: C;
  /** The HTTP status the receiver answers for it; `undefined` for the `POLL_*` codes, which nothing answers. */
  readonly status: StatusOf<C>;
  /** The verified delivery id, when there is one. */
  readonly deliveryId: string | undefined;
  /** The verified event type, when there is one. */
  readonly eventType: string | undefined;
  /** Where the event came from, when known. */
  readonly source: 'webhook' | 'poll' | undefined;
  /** The studio a polling error is about, when there is one. */
  readonly studioId: string | undefined;
  /** How long to wait before retrying, in milliseconds, when the error says so. */
  readonly retryAfterMs: number | undefined;

  constructor(code: C, message: string, details: TraxWebhookErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = (isHttpErrorCode(code) ? statusOfErrorCode[code] : undefined) as StatusOf<C>;
    this.deliveryId = details.deliveryId;
    this.eventType = details.eventType;
    this.source = details.source;
    this.studioId = details.studioId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** True when `value` is a {@link TraxWebhookError} (across package copies too). */
export function isTraxWebhookError(value: unknown): value is TraxWebhookError {
  return (
    value instanceof TraxWebhookError ||
    (value instanceof Error &&
      value.name === 'TraxWebhookError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

/**
 * The `BODY_TOO_LARGE` error, worded once for core and every adapter that enforces the limit
 * while reading.
 */
export function bodyTooLargeError(bodyLimit: number): TraxWebhookError<'BODY_TOO_LARGE'> {
  return new TraxWebhookError(
    'BODY_TOO_LARGE',
    `The delivery body is larger than the ${bodyLimit}-byte limit.`,
  );
}
