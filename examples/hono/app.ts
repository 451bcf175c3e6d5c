import { createWebHandler, type WebHandler } from '@trax-webhooks/web';
import { Hono } from 'hono';

/** Where the handlers write; `console` fits. */
export interface ExampleLog {
  info(message: string): void;
  error(message: string): void;
}

/** The example app: the webhook handler mounted on its path, and the app's own routes. */
export function createApp(
  secret: string,
  log: ExampleLog = console,
): { app: Hono; webhooks: WebHandler } {
  const webhooks = createWebHandler(secret);
  webhooks.onStreamLive(function announceLive(event, ctx) {
    const { studioId, liveStartedAt, mode } = event.data;
    log.info(`${studioId} went live at ${liveStartedAt} (${mode}) — delivery ${ctx.deliveryId}`);
  });
  webhooks.onStreamOffline(function announceOffline(event, ctx) {
    log.info(
      `${event.data.studioId} went offline at ${event.data.endedAt} — delivery ${ctx.deliveryId}`,
    );
  });
  webhooks.onError(function reportFailure(error) {
    // Messages never carry a secret, a signature or a body: safe to log as they are.
    log.error(`webhook ${error.code} (${error.status}): ${error.message}`);
  });

  const app = new Hono();
  // mount() hands the untouched Request to the handler, with Hono's env and — on Workers —
  // the ExecutionContext (on Node there is none; `c.executionCtx` would throw there).
  // The handler answers every method on the path: POST deliveries, 405 + Allow: POST otherwise.
  app.mount('/webhooks/trax', webhooks);
  app.get('/health', (c) => c.json({ ok: true }));
  return { app, webhooks };
}
