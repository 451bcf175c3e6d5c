/**
 * Every failure the receiver reports, with the HTTP status it answers.
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
  /** The verified body is not JSON. */
  INVALID_JSON: 'INVALID_JSON',
  /** The verified body is JSON but not a `{ type, timestamp, data }` envelope. */
  INVALID_ENVELOPE: 'INVALID_ENVELOPE',
  /** The body is larger than the configured limit. */
  BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  /** The body did not finish arriving in time (a sender that stalls half-way). */
  BODY_TIMEOUT: 'BODY_TIMEOUT',
  /** The raw bytes are not available (a body parser consumed them first). */
  RAW_BODY_UNAVAILABLE: 'RAW_BODY_UNAVAILABLE',
  /** A handler threw or rejected: the delivery is released so the retry runs it again. */
  HANDLER_FAILED: 'HANDLER_FAILED',
  /** A handler failed and marked the failure permanent: acknowledged, not retried. */
  HANDLER_FAILED_PERMANENTLY: 'HANDLER_FAILED_PERMANENTLY',
  /** The delivery store could not be reached: the sender should retry later. */
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

/** The HTTP status each code answers. */
export const statusOfErrorCode: Readonly<Record<TraxWebhookErrorCode, number>> = {
  MISSING_HEADER: 400,
  MALFORMED_HEADER: 400,
  INVALID_SIGNATURE: 401,
  TIMESTAMP_TOO_OLD: 401,
  TIMESTAMP_TOO_NEW: 401,
  INVALID_JSON: 400,
  INVALID_ENVELOPE: 400,
  BODY_TOO_LARGE: 413,
  BODY_TIMEOUT: 408,
  RAW_BODY_UNAVAILABLE: 500,
  HANDLER_FAILED: 500,
  HANDLER_FAILED_PERMANENTLY: 200,
  STORE_UNAVAILABLE: 503,
  POLL_FAILED: 502,
  POLL_UNAUTHORIZED: 401,
  POLL_RATE_LIMITED: 429,
  POLL_NOT_FOUND: 404,
};

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
export class TraxWebhookError extends Error {
  override readonly name = 'TraxWebhookError';
  /** What went wrong, from {@link TraxWebhookErrorCode}. */
  readonly code: TraxWebhookErrorCode;
  /** The HTTP status the receiver answers for it. */
  readonly status: number;
  /** The verified delivery id, when there is one. */
  readonly deliveryId: string | undefined;
  /** The verified event type, when there is one. */
  readonly eventType: string | undefined;
  /** Where the event came from, when known. */
  readonly source: 'webhook' | 'poll' | undefined;
  /** The studio a polling error is about, when there is one. */
  readonly studioId: string | undefined;

  constructor(code: TraxWebhookErrorCode, message: string, details: TraxWebhookErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = statusOfErrorCode[code];
    this.deliveryId = details.deliveryId;
    this.eventType = details.eventType;
    this.source = details.source;
    this.studioId = details.studioId;
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
export function bodyTooLargeError(bodyLimit: number): TraxWebhookError {
  return new TraxWebhookError(
    'BODY_TOO_LARGE',
    `The delivery body is larger than the ${bodyLimit}-byte limit.`,
  );
}
