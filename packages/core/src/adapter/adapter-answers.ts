import { answerOfError, type WebhookResponse } from '../answers.js';
import { TraxWebhookError } from '../errors.js';

/**
 * The answer to another method than POST on the webhook path. Not reported through `onError`:
 * it is not a delivery (a scanner, a browser), and there is nothing to retry.
 */
export const METHOD_NOT_ALLOWED_ANSWER: WebhookResponse = Object.freeze(
  answerOfError(new TraxWebhookError('METHOD_NOT_ALLOWED', 'Deliveries are POSTed.')),
);

/** The answer for `method`: `undefined` for POST (go on), else the 405 with `Allow: POST`. */
export function answerMethod(method: string | undefined): WebhookResponse | undefined {
  return method === 'POST' ? undefined : METHOD_NOT_ALLOWED_ANSWER;
}

/**
 * `RAW_BODY_UNAVAILABLE`: something consumed the bytes the signature covers. `howToFix` is the
 * framework's own advice (how to mount the adapter so the bytes survive).
 */
export function rawBodyUnavailableError(
  howToFix: string,
): TraxWebhookError<'RAW_BODY_UNAVAILABLE'> {
  return new TraxWebhookError(
    'RAW_BODY_UNAVAILABLE',
    `The raw request body is unavailable, and a signature can only be checked over the exact bytes that were sent. ${howToFix}`,
  );
}

/** `BODY_TIMEOUT`: the body did not arrive within `timeoutMs`. */
export function bodyTimeoutError(timeoutMs: number): TraxWebhookError<'BODY_TIMEOUT'> {
  return new TraxWebhookError(
    'BODY_TIMEOUT',
    `The delivery body did not arrive within ${timeoutMs} ms; disconnecting.`,
  );
}
