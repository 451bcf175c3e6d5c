import type { WebhookResponse } from './answers.js';
import type { TraxWebhooks, WebhookRequest } from './create-trax-webhooks.js';

/** A receiver's answer, given at once when it had nothing to wait for. */
export type ReceiveNow = (request: WebhookRequest) => WebhookResponse | Promise<WebhookResponse>;

/**
 * Each `receive` made by `createTraxWebhooks`, mapped to its form that answers at once. Keyed
 * by the function, not the receiver: an adapter that copies the receiver onto itself
 * (`Object.assign(middleware, receiver)`) keeps the same `receive` and is found too, and a
 * `receive` that someone replaced (a wrapper, a test spy) is not, so it is still called.
 */
const registered = new WeakMap<TraxWebhooks['receive'], ReceiveNow>();

/** Registers `now` as the form of `receive` that answers at once. */
export function registerReceiveNow(receive: TraxWebhooks['receive'], now: ReceiveNow): void {
  registered.set(receive, now);
}

/**
 * The receiver's answer to `request`: the same answer `receiver.receive(request)` resolves to,
 * but returned as it is (no promise) when verifying, the store and the handlers had nothing
 * to wait for — the memory store and handlers that return no promise, on `node:crypto`.
 * An adapter returns it to its framework as it is: a framework that gets a value from a
 * route writes it in the same turn, where a promise costs it a turn and the promise's upkeep
 * on every delivery. A receiver that was not made by `createTraxWebhooks` (or whose `receive`
 * was replaced) is asked through `receive`. Like `receive`, it never rejects.
 *
 * @example
 * ```ts
 * const answer = receiveNow(receiver, { headers: req.headers, rawBody });
 * writeNodeAnswer(res, answer instanceof Promise ? await answer : answer);
 * ```
 */
export function receiveNow(
  receiver: TraxWebhooks,
  request: WebhookRequest,
): WebhookResponse | Promise<WebhookResponse> {
  const now = registered.get(receiver.receive);
  return now === undefined ? receiver.receive(request) : now(request);
}
