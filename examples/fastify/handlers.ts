import type { TraxWebhookRouter } from '@trax-webhooks/fastify';
import type { FastifyBaseLogger } from 'fastify';

/** What the app knows about a studio that is live right now. */
export interface LiveStudio {
  studioId: string;
  encoderStreamId: string;
  liveStartedAt: string;
}

/**
 * The app's event handlers, written once against the router: the Fastify plugin's
 * `app.traxWebhooks` today, the same router fed by the poller if you poll as well.
 *
 * @example
 * ```ts
 * registerHandlers(app.traxWebhooks, liveStudios, app.log);
 * ```
 */
export function registerHandlers(
  router: TraxWebhookRouter,
  liveStudios: Map<string, LiveStudio>,
  log: FastifyBaseLogger,
): void {
  router.onStreamLive(function markLive(event, ctx) {
    // event.data is StreamLiveData: studioId, encoderStreamId, liveStartedAt, mode.
    const { studioId, encoderStreamId, liveStartedAt } = event.data;
    liveStudios.set(studioId, { studioId, encoderStreamId, liveStartedAt });
    log.info({ studioId, deliveryId: ctx.deliveryId, source: ctx.source }, 'studio went live');
  });

  router.on('stream.offline', function markOffline(event, ctx) {
    // event.data is StreamOfflineData: endedAt always, the session's fields when known.
    liveStudios.delete(event.data.studioId);
    log.info(
      { studioId: event.data.studioId, endedAt: event.data.endedAt, deliveryId: ctx.deliveryId },
      'studio went offline',
    );
  });

  router.onError(function reportFailure(error) {
    // Messages never carry a secret, a signature or a body: safe to log as they are.
    log.warn({ code: error.code, status: error.status }, `webhook rejected: ${error.message}`);
  });
}
