import type { TraxWebhookError, TraxWebhookRouter } from '@trax-webhooks/core';
import type { DashboardState, LogOutcome } from './dashboard-state.js';

/**
 * The dashboard's event handlers, written once: the poller and signed webhooks call the same
 * ones, and `ctx.source` is all that tells them apart. The typed handlers move the tiles; the
 * `onAny` handler logs every event, types this example does not know included.
 *
 * Handlers never see a duplicate or a rejected delivery (neither reaches them): those reach
 * the log through `onError` (rejections) and {@link recordDuplicate}.
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

  router.onAny(function logDelivered(event, ctx) {
    state.log({
      outcome: 'delivered',
      type: event.type,
      studioId: typeof event.data.studioId === 'string' ? event.data.studioId : null,
      deliveryId: ctx.deliveryId,
      source: ctx.source,
      attempt: ctx.attempt ?? 1,
      code: null,
      detail: null,
    });
  });

  router.onError(function logFailure(error) {
    const outcome = outcomeOfError(error);
    state.log({
      outcome,
      type: error.eventType ?? null,
      studioId: error.studioId ?? null,
      deliveryId: error.deliveryId ?? null,
      // Only a request to the receiver can be rejected (a polled event is trusted): it came
      // as a webhook, whoever sent it.
      source: error.source ?? (outcome === 'rejected' ? 'webhook' : null),
      attempt: null,
      code: error.code,
      // Core's messages never carry a secret, a signature or a body: safe to show.
      detail: error.message,
    });
  });
}

/**
 * A rejection is a delivery refused before any handler could run (answered 4xx: a forged
 * signature, a stale timestamp, a malformed body). Everything else that reaches `onError` —
 * a handler or the store failing, a poll failing — is a failure on this side.
 */
export function outcomeOfError(error: TraxWebhookError): LogOutcome {
  const { status } = error;
  const rejected =
    status !== undefined && status >= 400 && status < 500 && error.code !== 'DELIVERY_IN_FLIGHT';
  return rejected ? 'rejected' : 'failed';
}
