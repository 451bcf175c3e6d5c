/**
 * Every answer the receiver gives, decided here and nowhere else: each outcome and each error
 * code with its status, headers and body. Adapters write what these functions return, as it
 * is; a status an adapter makes up is a bug. `docs/ARCHITECTURE.md` explains the table and the
 * README's status table is checked against it by a test.
 */
import {
  type HttpErrorCode,
  isHttpErrorCode,
  statusOfErrorCode,
  TraxWebhookError,
} from './errors.js';
import type { AnsweredResult } from './handle-result.js';

/** What the receiver answers the sender; adapters write it as it is. */
export interface WebhookResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** A JSON text. */
  readonly body: string;
}

/** How an answer's `Retry-After` is bounded, in whole seconds. */
interface RetryAfterRule {
  /** Used when the error carries no usable `retryAfterMs`. */
  readonly defaultSeconds: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

/** One row of the error table: the status and the headers besides `content-type`. */
export interface ErrorAnswerRule {
  readonly status: number;
  /** Headers every answer of this code carries. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Present when the answer carries `Retry-After` (from the error's `retryAfterMs`). */
  readonly retryAfter?: RetryAfterRule;
}

/**
 * The error table. Only `DELIVERY_IN_FLIGHT` and `STORE_UNAVAILABLE` ask the sender to wait:
 * - in flight: the lease may have far longer to run than the handler needs, so come back
 *   soon (1–5 s), not when a 30 s lease ends; a retry that finds the delivery done is a cheap 200;
 * - store unavailable: the receiver's `storeRetryAfterSeconds` (5 s by default).
 */
export const errorAnswers: Readonly<Record<HttpErrorCode, ErrorAnswerRule>> = Object.freeze({
  MISSING_HEADER: { status: statusOfErrorCode.MISSING_HEADER },
  MALFORMED_HEADER: { status: statusOfErrorCode.MALFORMED_HEADER },
  INVALID_JSON: { status: statusOfErrorCode.INVALID_JSON },
  INVALID_ENVELOPE: { status: statusOfErrorCode.INVALID_ENVELOPE },
  INVALID_SIGNATURE: { status: statusOfErrorCode.INVALID_SIGNATURE },
  TIMESTAMP_TOO_OLD: { status: statusOfErrorCode.TIMESTAMP_TOO_OLD },
  TIMESTAMP_TOO_NEW: { status: statusOfErrorCode.TIMESTAMP_TOO_NEW },
  METHOD_NOT_ALLOWED: { status: statusOfErrorCode.METHOD_NOT_ALLOWED, headers: { allow: 'POST' } },
  BODY_TIMEOUT: { status: statusOfErrorCode.BODY_TIMEOUT },
  DELIVERY_IN_FLIGHT: {
    status: statusOfErrorCode.DELIVERY_IN_FLIGHT,
    retryAfter: { defaultSeconds: 1, minSeconds: 1, maxSeconds: 5 },
  },
  BODY_TOO_LARGE: { status: statusOfErrorCode.BODY_TOO_LARGE },
  RAW_BODY_UNAVAILABLE: { status: statusOfErrorCode.RAW_BODY_UNAVAILABLE },
  HANDLER_FAILED: { status: statusOfErrorCode.HANDLER_FAILED },
  HANDLER_FAILED_PERMANENTLY: { status: statusOfErrorCode.HANDLER_FAILED_PERMANENTLY },
  STORE_UNAVAILABLE: {
    status: statusOfErrorCode.STORE_UNAVAILABLE,
    retryAfter: { defaultSeconds: 5, minSeconds: 0, maxSeconds: 3600 },
  },
});

/** The success answers: a status and a fixed body each. */
export const successAnswers = Object.freeze({
  handled: { status: 200, body: { ok: true } },
  duplicate: { status: 200, body: { ok: true, duplicate: true } },
  'failed-permanently': { status: 200, body: { ok: true, permanentFailure: true } },
  accepted: { status: 202, body: { ok: true, accepted: true } },
  queued: { status: 202, body: { ok: true, queued: true } },
} as const);

const JSON_TYPE = 'application/json; charset=utf-8';

// Answers that never vary are built once: the hot path only hands them out. Frozen, so an
// adapter cannot change them for the next request.
function frozenAnswer(status: number, body: object, headers: Record<string, string> = {}) {
  return Object.freeze({
    status,
    headers: Object.freeze({ 'content-type': JSON_TYPE, ...headers }),
    body: JSON.stringify(body),
  }) as WebhookResponse;
}
const SUCCESS: Readonly<Record<keyof typeof successAnswers, WebhookResponse>> = Object.freeze({
  handled: frozenAnswer(200, successAnswers.handled.body),
  duplicate: frozenAnswer(200, successAnswers.duplicate.body),
  'failed-permanently': frozenAnswer(200, successAnswers['failed-permanently'].body),
  accepted: frozenAnswer(202, successAnswers.accepted.body),
  queued: frozenAnswer(202, successAnswers.queued.body),
});

const IN_FLIGHT_MESSAGE = 'The same delivery is being handled; retry later.';

/**
 * The answer for one outcome of the pipeline.
 *
 * @example
 * ```ts
 * const { status, headers, body } = answerOf(await webhooks.handleEvent(event, ctx));
 * ```
 */
export function answerOf(result: AnsweredResult): WebhookResponse {
  switch (result.outcome) {
    case 'handled':
    case 'duplicate':
    case 'accepted':
    case 'queued':
      return SUCCESS[result.outcome];
    case 'failed-permanently':
      return SUCCESS['failed-permanently'];
    case 'in-flight':
      return answerOfError(
        new TraxWebhookError('DELIVERY_IN_FLIGHT', IN_FLIGHT_MESSAGE, {
          retryAfterMs: result.retryAfterMs,
        }),
      );
    case 'failed':
    case 'store-unavailable':
      return answerOfError(result.error);
  }
}

/**
 * The answer for an error: its status, the table's headers, and `{ ok: false, error: { code,
 * message } }` (the message is secret-free by construction). An error of a code that is never
 * answered over HTTP (`POLL_*`, which only the poller reports) has no answer: that is a bug in
 * the caller, and it throws a `TypeError`.
 */
export function answerOfError(error: TraxWebhookError): WebhookResponse {
  const { code } = error;
  if (!isHttpErrorCode(code)) {
    throw new TypeError(`${code} is reported by the poller, never answered over HTTP`);
  }
  const rule = errorAnswers[code];
  const headers: Record<string, string> = { 'content-type': JSON_TYPE, ...rule.headers };
  if (rule.retryAfter) headers['retry-after'] = String(retryAfterSeconds(error, rule.retryAfter));
  return {
    status: rule.status,
    headers,
    body: JSON.stringify({ ok: false, error: { code, message: error.message } }),
  };
}

/** Always a whole, non-negative number of seconds, whatever a store or option handed over. */
function retryAfterSeconds(error: TraxWebhookError, rule: RetryAfterRule): number {
  const ms = error.retryAfterMs;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return rule.defaultSeconds;
  return Math.min(rule.maxSeconds, Math.max(rule.minSeconds, Math.ceil(ms / 1000)));
}
