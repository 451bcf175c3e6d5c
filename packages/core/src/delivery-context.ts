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
  /** Which attempt this is, 1-based, when the sender or poller says so. */
  readonly attempt: number | undefined;
}
