import type {
  AnyTraxEvent,
  DeliveryContext,
  DeliveryObserver,
  EventSource,
  ObservedOutcome,
} from '@trax-webhooks/core';
import type { DashboardState, LogOutcome } from './dashboard-state.js';

/** What the observer keeps of one delivery between its hooks. */
interface ObservedDelivery {
  readonly source: EventSource;
  event?: AnyTraxEvent;
  ctx?: DeliveryContext;
}

const LOGGED_AS: Record<ObservedOutcome, LogOutcome> = {
  handled: 'delivered',
  // Not with this receiver (it answers after the handlers, without a queue); said as it is.
  accepted: 'delivered',
  queued: 'delivered',
  duplicate: 'duplicate',
  rejected: 'rejected',
  'in-flight': 'in-flight',
  failed: 'failed',
  'failed-permanently': 'failed',
  'store-unavailable': 'failed',
};

const DETAIL: Partial<Record<ObservedOutcome, string>> = {
  duplicate: 'already handled: dropped, no handler ran',
  accepted: 'accepted: the handlers run after the answer',
  queued: 'queued: a worker runs the handlers',
  'in-flight': 'the same delivery is being handled right now: the sender retries later',
};

/**
 * Logs what became of every delivery, polled or pushed, through core's observer: the one place
 * that sees duplicates and rejections, which never reach a handler. Hooks run on the delivery's
 * path, so they only copy a few fields.
 *
 * @example
 * ```ts
 * traxWebhooks({ secret, observer: createDashboardObserver(state) });
 * ```
 */
export function createDashboardObserver(state: DashboardState): DeliveryObserver<ObservedDelivery> {
  return {
    received: (source) => ({ source }),
    verified(delivery, event, ctx) {
      delivery.event = event;
      delivery.ctx = ctx;
    },
    dispatch: (_delivery, run) => run(),
    handlerSettled() {},
    answered(delivery, outcome, _answer, error) {
      const { event, ctx } = delivery;
      const studioId = event?.data.studioId;
      state.log({
        outcome: LOGGED_AS[outcome],
        type: event?.type ?? null,
        studioId: typeof studioId === 'string' ? studioId : null,
        deliveryId: ctx?.deliveryId ?? null,
        source: delivery.source,
        attempt: ctx?.attempt ?? null,
        code: error?.code ?? null,
        // Core's error messages never carry a secret, a signature or a body: safe to show.
        detail: error?.message ?? DETAIL[outcome] ?? null,
      });
    },
  };
}
