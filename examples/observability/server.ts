/**
 * `pnpm start` (PORT defaults to 3000; TRAX_WEBHOOK_SECRET to the development secret).
 * Send a delivery, then `curl http://127.0.0.1:3000/metrics`.
 */
import './telemetry.js';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { stopTelemetry } from './telemetry.js';

// A fixed development secret, so the example runs out of the box; never use it in production.
const DEV_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const secret = process.env.TRAX_WEBHOOK_SECRET ?? DEV_SECRET;
if (secret === DEV_SECRET)
  console.warn('TRAX_WEBHOOK_SECRET is not set: using the example development secret.');

const { app, webhooks } = createApp(secret);
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}${webhooks.path}`);
  console.log(`metrics on http://127.0.0.1:${port}/metrics`);
});

async function shutdown(): Promise<void> {
  server.close();
  await webhooks.drain();
  await stopTelemetry();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
