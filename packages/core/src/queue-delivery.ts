import type { BackgroundWork } from './background-work.js';
import { dedupeKeyOf } from './dedupe-key.js';
import type { DeliveryContext } from './delivery-context.js';
import type { DeliveryQueue } from './delivery-queue.js';
import type { ErrorReporter } from './error-reporter.js';
import { TraxWebhookError } from './errors.js';
import type { AnyTraxEvent } from './events.js';
import type { AnsweredResult } from './handle-result.js';
import type { ReceiverSettings } from './receiver-options.js';

/** Queue mode's half of the receiver: a trusted event is added to the queue, not handled here. */
export interface QueueDelivery {
  /**
   * dedupe key → add → `queued` | `duplicate`, or `store-unavailable` when the add failed.
   * `trace`: the observer's trace context, carried in the job (`QueuedDelivery.trace`). Never rejects.
   */
  process(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    trace?: Readonly<Record<string, string>>,
  ): Promise<AnsweredResult>;
}

const QUEUED: AnsweredResult = Object.freeze({ outcome: 'queued' });
const DUPLICATE: AnsweredResult = Object.freeze({ outcome: 'duplicate' });

/**
 * Kept apart from the claim → handlers pipeline on purpose: queue mode runs no handler and
 * claims nothing in the receiver; the worker does both, through `handleEventNow`.
 */
export function createQueueDelivery(
  settings: ReceiverSettings,
  queue: DeliveryQueue,
  report: ErrorReporter,
  background: BackgroundWork,
): QueueDelivery {
  const { dedupeKey, storeRetryAfterMs } = settings;

  function unavailable(event: AnyTraxEvent, ctx: DeliveryContext, message: string, cause: unknown) {
    return new TraxWebhookError('STORE_UNAVAILABLE', message, {
      deliveryId: ctx.deliveryId,
      eventType: event.type,
      source: ctx.source,
      cause,
      retryAfterMs: storeRetryAfterMs,
    });
  }

  async function process(
    event: AnyTraxEvent,
    ctx: DeliveryContext,
    trace?: Readonly<Record<string, string>>,
  ): Promise<AnsweredResult> {
    const key = dedupeKeyOf(dedupeKey, event, ctx);
    if (typeof key !== 'string') {
      await report(key);
      return { outcome: 'failed', error: key };
    }
    let added: Promise<unknown>;
    try {
      added = Promise.resolve(
        queue.enqueue({
          key,
          event,
          deliveryId: ctx.deliveryId,
          source: ctx.source,
          receivedAt: ctx.receivedAt.toISOString(),
          senderAttempt: ctx.senderAttempt ?? ctx.attempt,
          trace,
        }),
      );
    } catch (cause) {
      added = Promise.reject(cause);
    }
    // Counted, so that drain() on shutdown waits for adds still in flight.
    background.track(added);
    let outcome: unknown;
    try {
      outcome = await added;
    } catch (cause) {
      const error = unavailable(
        event,
        ctx,
        'The delivery queue is unavailable; retry later.',
        cause,
      );
      await report(error);
      return { outcome: 'store-unavailable', error };
    }
    if (outcome === 'queued') return QUEUED;
    if (outcome === 'duplicate') return DUPLICATE;
    // Fail closed: a queue that answers nonsense may or may not hold the event.
    const error = unavailable(
      event,
      ctx,
      'The delivery queue broke its contract: enqueue() resolved something other than "queued" or "duplicate"; retry later.',
      undefined,
    );
    await report(error);
    return { outcome: 'store-unavailable', error };
  }

  return { process };
}
