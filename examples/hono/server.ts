/**
 * A runnable Hono receiver on Node: `TRAX_WEBHOOK_SECRET=whsec_… pnpm start` (PORT defaults
 * to 3000). Send it a signed test delivery:
 *   trax-webhooks send stream.live --to http://127.0.0.1:3000/webhooks/trax --data '{"studioId":"st_1"}'
 */
import { serve } from '@hono/node-server';
import { createApp } from './app.js';

// A fixed development secret, so the example runs out of the box; never use it in production.
const DEV_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const secret = process.env.TRAX_WEBHOOK_SECRET ?? DEV_SECRET;
if (secret === DEV_SECRET)
  console.warn('TRAX_WEBHOOK_SECRET is not set: using the example development secret.');

const { app, webhooks } = createApp(secret);
const server = serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' },
  (info) => console.log(`listening on http://127.0.0.1:${info.port}/webhooks/trax`),
);

async function shutdown(): Promise<void> {
  // Stop taking deliveries, then let work still running (store writes) finish.
  server.close();
  await webhooks.drain();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
