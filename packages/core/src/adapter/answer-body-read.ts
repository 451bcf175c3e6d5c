import type { WebhookResponse } from '../answers.js';
import type { TraxWebhooks } from '../create-trax-webhooks.js';
import { bodyTooLargeError } from '../errors.js';
import type { HeaderSource } from '../headers.js';
import { receiveNow } from '../receive-now.js';
import { bodyTimeoutError } from './adapter-answers.js';
import type { BodyReadResult } from './body-read-result.js';

/**
 * Core's answer to a body read by an adapter: the pipeline's answer for the bytes, 413 for a
 * body over the limit, 408 for one that stalled (both reported through `onError`), or
 * `undefined` when the sender went away mid-body (there is no one to answer; logged at debug).
 * Given at once, not as a promise, when nothing had to be waited for (see `receiveNow`):
 * `await` it, or return it to a framework that writes a value in the same turn. Never rejects.
 *
 * @example
 * ```ts
 * const read = await readWebBody(request.body, { limit: receiver.bodyLimit, timeoutMs });
 * const answer = await answerBodyRead(receiver, request.headers, read, timeoutMs);
 * ```
 */
export function answerBodyRead(
  receiver: TraxWebhooks,
  headers: HeaderSource,
  read: BodyReadResult,
  bodyTimeoutMs: number,
): WebhookResponse | undefined | Promise<WebhookResponse | undefined> {
  switch (read.outcome) {
    case 'read':
      return receiveNow(receiver, { headers, rawBody: read.body });
    case 'too-large':
      return receiver.reject(bodyTooLargeError(receiver.bodyLimit));
    case 'timed-out':
      return receiver.reject(bodyTimeoutError(bodyTimeoutMs));
    case 'aborted':
      receiver.logger.debug({}, 'The sender went away before the delivery body was complete');
      return undefined;
  }
}
