/** Where an event came from: a signed webhook delivery, or the stream-status poller. */
export type EventSource = 'webhook' | 'poll';

/** What a handler knows about the delivery besides the event. */
export interface DeliveryContext {
  /** The delivery id, stable across retries (deterministic for polled events). */
  readonly deliveryId: string;
  /** `'webhook'` for signed deliveries, `'poll'` for events from the polling shim. */
  readonly source: EventSource;
  /** When this attempt reached the receiver. */
  readonly receivedAt: Date;
  /**
   * Which attempt this is, 1-based, when the sender or poller says so. In a queue worker it is
   * the handler's attempt (the job's), and the sender's rides along as `senderAttempt`.
   */
  readonly attempt: number | undefined;
  /** The sender's (or poller's) attempt number, when it said; equal to `attempt` outside a worker. */
  readonly senderAttempt?: number | undefined;
}
