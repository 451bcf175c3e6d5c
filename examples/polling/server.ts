/**
 * The polling fallback, runnable: `pnpm start`.
 *
 * With `TRAX_API_KEY` (and `TRAX_STUDIOS=st_1,st_2`, optionally `TRAX_API_URL`) it polls TRaX.
 * Without it, it starts the mock TRaX API from @trax-webhooks/testing and plays a short script
 * on it (a studio goes live, restarts, goes offline), so you can watch the handlers fire.
 */
import type { AddressInfo } from 'node:net';
import { startMockTraxApi } from '@trax-webhooks/testing';
import { createPollingApp } from './app.js';

// A fixed development secret, so the example runs out of the box; never use it in production.
const DEV_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const DEMO_KEY = 'sk_test_polling_example';

const demo = process.env.TRAX_API_KEY === undefined;
const mock = demo ? await startMockTraxApi({ apiKeys: [DEMO_KEY] }) : undefined;
const studios = (process.env.TRAX_STUDIOS ?? 'st_demo').split(',').filter(Boolean);
const intervalMs = Number(process.env.POLL_INTERVAL_MS ?? (demo ? 1000 : 15_000));

const { app, webhooks, poller } = createPollingApp({
  secret: process.env.TRAX_WEBHOOK_SECRET ?? DEV_SECRET,
  apiKey: process.env.TRAX_API_KEY ?? DEMO_KEY,
  baseUrl: mock?.url ?? process.env.TRAX_API_URL ?? 'https://api-dev.traxstreaming.live',
  studios,
  intervalMs,
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}${webhooks.path}`);
  console.log(
    `polling ${studios.join(', ')} every ${intervalMs} ms${mock ? ` on the mock API at ${mock.url}` : ''}`,
  );
});

if (mock && process.env.DEMO_SCRIPT !== '0') {
  // A short show on the mock API: live, a restart (new session), then offline.
  const studio = studios[0]!;
  const at = (ms: number, step: () => void) => setTimeout(step, ms).unref();
  at(1500, () => mock.goLive(studio));
  at(4500, () =>
    mock.goLive(studio, { liveStartedAt: new Date(), encoderStreamId: 'enc_restarted' }),
  );
  at(7500, () => mock.goOffline(studio));
}

async function shutdown(): Promise<void> {
  // Stop polling first (nothing more is sent), then stop taking deliveries.
  await poller.stop();
  server.close();
  await webhooks.drain();
  await mock?.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
