import type { TraxWebhookError } from './errors.js';

/**
 * What became of one event, for every caller of the pipeline: adapters turn it into an HTTP
 * answer (`answerOf`), the poller and the forwarder read it as it is.
 *
 * - `handled`: the handlers ran and succeeded.
 * - `accepted`: verified and claimed; the handlers run after the answer (`ack: 'immediate'`).
 * - `queued`: verified and durably queued; workers run the handlers (queue mode).
 * - `duplicate`: done before; nothing ran.
 * - `in-flight`: the same delivery is being handled elsewhere right now; offer it again later.
 * - `deferred`: not done now, and nothing failed (a forwarder whose next attempt is not due,
 *   or whose attempt was not answered 2xx); offer it again after `retryAfterMs`. The receiver
 *   itself never answers this.
 * - `failed`: a handler failed; the delivery was released, so a retry runs it again.
 * - `failed-permanently`: a handler marked its failure permanent; acknowledged, not retried.
 * - `store-unavailable`: the dedupe store (or the queue) could not take it; nothing ran.
 */
export type HandleResult =
  | { readonly outcome: 'handled' }
  | { readonly outcome: 'accepted' }
  | { readonly outcome: 'queued' }
  | { readonly outcome: 'duplicate' }
  | { readonly outcome: 'in-flight'; readonly retryAfterMs: number }
  | { readonly outcome: 'deferred'; readonly retryAfterMs: number }
  | { readonly outcome: 'failed'; readonly error: TraxWebhookError }
  | { readonly outcome: 'failed-permanently'; readonly error: TraxWebhookError }
  | { readonly outcome: 'store-unavailable'; readonly error: TraxWebhookError };

/** The outcomes a receiver answers over HTTP (all but `deferred`, which only forwarders report). */
export type AnsweredResult = Exclude<HandleResult, { readonly outcome: 'deferred' }>;

/** Every outcome name. */
export type HandleOutcome = HandleResult['outcome'];
