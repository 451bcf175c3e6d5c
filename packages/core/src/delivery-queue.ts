import type { EventSource } from './delivery-context.js';
import type { AnyTraxEvent } from './events.js';

/**
 * One verified event as the receiver hands it to a {@link DeliveryQueue}: everything a worker
 * needs to run it exactly as the receiver would have, and nothing secret (no signature, no
 * header, no raw body).
 */
export interface QueuedDelivery {
  /**
   * The dedupe key: the delivery id unless the receiver's `dedupeKey` option says otherwise.
   * The queue deduplicates adds on it, and the worker claims it in the `DeliveryStore`.
   */
  readonly key: string;
  readonly event: AnyTraxEvent;
  readonly deliveryId: string;
  readonly source: EventSource;
  /** When the receiver got it, as an ISO 8601 text (it crosses the queue as JSON). */
  readonly receivedAt: string;
  /** The sender's attempt number (`webhook-attempt`, or the poller's count), when it said. */
  readonly senderAttempt: number | undefined;
  /**
   * The receiver's trace context (W3C `traceparent` / `tracestate`), when an observer gave one
   * (`DeliveryObserver.carry`): a worker hands it back (`handleEventNow`'s `ctx.trace`), so its
   * span links to the receiver's. Propagation headers only, never the sender's own headers.
   */
  readonly trace?: Readonly<Record<string, string>>;
}

/**
 * What a queue answers to an add.
 * - `queued`: the queue's storage confirmed the new entry; the receiver answers 202.
 * - `duplicate`: an entry under the same key is already there (or was, recently); nothing was
 *   added, and the receiver answers 200 `{"duplicate":true}`.
 */
export type EnqueueOutcome = 'queued' | 'duplicate';

/**
 * What the receiver needs of a queue in queue mode (`createDeliveryQueue` from
 * `@trax-webhooks/bullmq` is one). With a queue, the receiver verifies and parses each
 * delivery, then adds it here instead of running the handlers; workers run them.
 *
 * The contract:
 * 1. `enqueue` resolves only once the queue's storage has confirmed the add (`queued`), or has
 *    told it apart as a copy of an entry it already holds (`duplicate`), in one atomic step:
 *    of concurrent adds of one key, exactly one resolves `queued`.
 * 2. `enqueue` bounds its own wait and rejects when it passes (or the storage fails): it never
 *    depends on the connection's retry settings, which a queue engine may need unbounded. The
 *    receiver answers a rejection 503 + `Retry-After`, so nothing is lost.
 * 3. An add that timed out may still land later; the sender's retry then finds it a duplicate.
 */
export interface DeliveryQueue {
  /** Adds `delivery` under `delivery.key`. Rejects on failure or once its own timeout passes. */
  enqueue(delivery: QueuedDelivery): Promise<EnqueueOutcome>;
}

/** @throws {TypeError} when `queue` is not a {@link DeliveryQueue} */
export function checkDeliveryQueue(queue: unknown): DeliveryQueue | undefined {
  if (queue === undefined) return undefined;
  if (typeof (queue as Partial<DeliveryQueue> | null)?.enqueue !== 'function') {
    throw new TypeError(
      'queue option must be a DeliveryQueue with enqueue(), e.g. createDeliveryQueue({ connection }) from @trax-webhooks/bullmq',
    );
  }
  return queue as DeliveryQueue;
}
