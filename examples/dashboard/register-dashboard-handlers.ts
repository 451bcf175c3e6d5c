import type { TraxWebhookRouter } from '@trax-webhooks/core';
import type { DashboardState } from './dashboard-state.js';

/**
 * The dashboard's event handlers, written once: the poller and signed webhooks call the same
 * ones, and `ctx.source` is all that tells them apart. They move the tiles. The event log is
 * written by the receiver's observer (`createDashboardObserver`), which also sees what never
 * reaches a handler: duplicates and rejected deliveries.
 */
export function registerDashboardHandlers(router: TraxWebhookRouter, state: DashboardState): void {
  router.onStreamLive(function showLive(event, ctx) {
    const { studioId, liveStartedAt, encoderStreamId, mode } = event.data;
    state.setStudio({
      studioId,
      status: 'live',
      since: liveStartedAt,
      encoderStreamId,
      mode,
      source: ctx.source,
      deliveryId: ctx.deliveryId,
    });
  });

  router.onStreamOffline(function showOffline(event, ctx) {
    const { studioId, endedAt, encoderStreamId, mode } = event.data;
    state.setStudio({
      studioId,
      status: 'offline',
      since: endedAt,
      encoderStreamId: encoderStreamId ?? null,
      mode: mode ?? null,
      source: ctx.source,
      deliveryId: ctx.deliveryId,
    });
  });

  router.onError(function logPollProblem(error) {
    // What became of each delivery is logged by the observer (dashboard-observer.ts); what it
    // cannot see is a poll that failed, which is no delivery: a studio's id and no delivery id.
    if (error.deliveryId !== undefined || error.studioId === undefined) return;
    state.log({
      outcome: 'failed',
      type: null,
      studioId: error.studioId,
      deliveryId: null,
      source: error.source ?? 'poll',
      attempt: null,
      code: error.code,
      // Core's messages never carry a secret, a signature or a body: safe to show.
      detail: error.message,
    });
  });
}
