/**
 * A Cloudflare Worker that receives TRaX webhooks: `export default { fetch }`, which Workers
 * call as `(request, env, ctx)`. No `nodejs_compat` (see wrangler.toml): core verifies with
 * Web Crypto there. Deploy with `wrangler deploy`; set the secret with
 * `wrangler secret put TRAX_WEBHOOK_SECRET`.
 */
import { createWebHandler, type WebHandler } from '@trax-webhooks/web';

interface Env {
  TRAX_WEBHOOK_SECRET: string;
}

/** What the Worker's fetch handler is called with besides the request. */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

// Secrets arrive with the first request (`env`), so the handler is made then, once per isolate.
// Its memory store lives as long as the isolate: see the README on dedupe at the edge.
let webhooks: WebHandler | undefined;

function createReceiver(secret: string): WebHandler {
  const receiver = createWebHandler(secret);
  receiver.onStreamLive(function announceLive(event, ctx) {
    console.log(
      `${event.data.studioId} went live at ${event.data.liveStartedAt} — ${ctx.deliveryId}`,
    );
  });
  receiver.onStreamOffline(function announceOffline(event, ctx) {
    console.log(`${event.data.studioId} went offline at ${event.data.endedAt} — ${ctx.deliveryId}`);
  });
  receiver.onError(function reportFailure(error) {
    // Messages never carry a secret, a signature or a body: safe to log as they are.
    console.error(`webhook ${error.code} (${error.status}): ${error.message}`);
  });
  return receiver;
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname !== '/webhooks/trax')
      return Promise.resolve(new Response('Not found', { status: 404 }));
    webhooks ??= createReceiver(env.TRAX_WEBHOOK_SECRET);
    // ctx.waitUntil keeps the store's writes (and `ack: 'immediate'` handlers) alive after the answer.
    return webhooks(request, env, ctx);
  },
};
