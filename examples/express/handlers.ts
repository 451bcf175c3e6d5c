import type { TraxWebhookRouter } from '@trax-webhooks/express';

/** Where the handlers write; `console` fits, so does a pino logger's `info`. */
export interface ExampleLog {
  info(message: string): void;
  error(message: string): void;
}

/**
 * The app's event handlers, written once. The Express server registers them on the webhook
 * middleware; the polling example registers the very same function on its router, so the
 * handlers cannot tell (except through `ctx.source`) whether TRaX pushed the event or it
 * was polled.
 *
 * @example
 * ```ts
 * const webhooks = traxWebhooks(secret);
 * registerHandlers(webhooks);
 * ```
 */
export function registerHandlers(router: TraxWebhookRouter, log: ExampleLog = console): void {
  router.onStreamLive(function announceLive(event, ctx) {
    // event.data is StreamLiveData: studioId, encoderStreamId, liveStartedAt, mode.
    const { studioId, encoderStreamId, liveStartedAt, mode } = event.data;
    log.info(
      `[${ctx.source}] ${studioId} went live at ${liveStartedAt} (${mode}, encoder ${encoderStreamId}) — delivery ${ctx.deliveryId}`,
    );
  });

  router.on('stream.offline', function announceOffline(event, ctx) {
    // event.data is StreamOfflineData: endedAt is always there, the session fields when known.
    const { studioId, endedAt, liveStartedAt } = event.data;
    const session = liveStartedAt ? ` (session from ${liveStartedAt})` : '';
    log.info(
      `[${ctx.source}] ${studioId} went offline at ${endedAt}${session} — delivery ${ctx.deliveryId}`,
    );
  });

  router.onAny(function recordEvery(event, ctx) {
    // Every event, including types TRaX adds before this package knows them.
    log.info(
      `[${ctx.source}] event ${event.type} for ${event.data.studioId} (attempt ${ctx.attempt ?? 1})`,
    );
  });

  router.onError(function reportFailure(error) {
    // Messages never carry a secret, a signature or a body: safe to log as they are.
    log.error(`webhook ${error.code} (${error.status}): ${error.message}`);
  });
}
