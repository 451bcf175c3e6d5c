/**
 * A runnable receiver: `TRAX_WEBHOOK_SECRET=whsec_… pnpm start` (PORT defaults to 3000).
 * Send it a signed test delivery:
 *   trax-webhooks send stream.live --to http://127.0.0.1:3000/webhooks/trax --data '{"studioId":"st_1"}'
 * (with the same TRAX_WEBHOOK_SECRET), or run the test in ./test.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';

// A fixed development secret, so the example runs out of the box; never use it in production.
const DEV_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const secret = process.env.TRAX_WEBHOOK_SECRET ?? DEV_SECRET;
if (secret === DEV_SECRET)
  console.warn('TRAX_WEBHOOK_SECRET is not set: using the example development secret.');

const { app, webhooks } = createApp(secret);
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}${webhooks.path}`);
});

async function shutdown(): Promise<void> {
  // Stop taking deliveries, then let handlers already running finish.
  server.close();
  await webhooks.drain();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
