import type { EventSink } from '@trax-webhooks/core';
import type { DashboardState } from './dashboard-state.js';

/**
 * The poller's way into the receiver, with each duplicate logged. A duplicate never reaches a
 * handler — that is the point of dedupe — so the dashboard reads it where it is decided: the
 * `duplicate` outcome the receiver hands back to the poller.
 */
export function logDuplicates(sink: EventSink, state: DashboardState): EventSink {
  return {
    async handleEvent(event, ctx) {
      const result = await sink.handleEvent(event, ctx);
      if (result.outcome === 'duplicate') {
        state.log({
          outcome: 'duplicate',
          type: event.type,
          studioId: typeof event.data.studioId === 'string' ? event.data.studioId : null,
          deliveryId: ctx.deliveryId,
          source: ctx.source,
          attempt: ctx.attempt ?? 1,
          code: null,
          detail: 'already handled: dropped, no handler ran',
        });
      }
      return result;
    },
    report: (error) => sink.report(error),
  };
}
