import type { AnyTraxEvent, EventSource, QueuedDelivery } from '@trax-webhooks/core';

/** The default queue name, shared by `createDeliveryQueue`, `createTraxWorker` and the CLI. */
export const DEFAULT_QUEUE_NAME = 'trax-webhooks';

/**
 * What a delivery job holds in Redis: the verified event and its context, never a signature,
 * a header or the raw body. `v` lets a later version read jobs queued by this one.
 */
export interface DeliveryJobData {
  readonly v: 1;
  /** The dedupe key, claimed by the worker in the receiver's `DeliveryStore`. */
  readonly key: string;
  readonly event: AnyTraxEvent;
  readonly deliveryId: string;
  readonly source: EventSource;
  readonly receivedAt: string;
  readonly senderAttempt?: number;
  /** Set on a job added by a replay: the id of the job it replays. */
  readonly replayOf?: string;
  /**
   * Set by an operator (a replay, a retry of a dead letter): the worker then claims
   * `${key}#${rerun}`, a key of its own, so the handlers run even where the store says the
   * delivery is done (a `permanentFailure()` is recorded done), and still once per action.
   */
  readonly rerun?: string;
  /** The receiver's trace context (`QueuedDelivery.trace`), when its observer gave one. */
  readonly trace?: Readonly<Record<string, string>>;
}

/** The job data of one queued delivery. */
export function toJobData(delivery: QueuedDelivery): DeliveryJobData {
  // JSON leaves an undefined senderAttempt out of the job's text.
  return {
    v: 1,
    key: delivery.key,
    event: delivery.event,
    deliveryId: delivery.deliveryId,
    source: delivery.source,
    receivedAt: delivery.receivedAt,
    senderAttempt: delivery.senderAttempt,
    trace: delivery.trace,
  };
}

/** True when a job's data is one this package wrote. */
export function isDeliveryJobData(data: unknown): data is DeliveryJobData {
  const d = data as Partial<DeliveryJobData> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    d.v === 1 &&
    typeof d.key === 'string' &&
    typeof d.deliveryId === 'string' &&
    typeof d.event === 'object' &&
    d.event !== null
  );
}
