import { createWebHandler, type WebHandler } from '@trax-webhooks/web';

// A fixed development secret, so the example runs out of the box; never use it in production.
const DEV_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** The receiver with the app's handlers, made once per server instance (or edge isolate). */
export function createReceiver(): WebHandler {
  const webhooks = createWebHandler(process.env.TRAX_WEBHOOK_SECRET ?? DEV_SECRET);
  webhooks.onStreamLive(function announceLive(event, ctx) {
    console.log(
      `${event.data.studioId} went live at ${event.data.liveStartedAt} — ${ctx.deliveryId}`,
    );
  });
  webhooks.onStreamOffline(function announceOffline(event, ctx) {
    console.log(`${event.data.studioId} went offline at ${event.data.endedAt} — ${ctx.deliveryId}`);
  });
  webhooks.onError(function reportFailure(error) {
    // Messages never carry a secret, a signature or a body: safe to log as they are.
    console.error(`webhook ${error.code} (${error.status}): ${error.message}`);
  });
  return webhooks;
}
