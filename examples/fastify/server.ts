/**
 * A runnable receiver: `TRAX_WEBHOOK_SECRET=whsec_… pnpm start` (PORT defaults to 3000).
 * Send it a signed test delivery with `trax-webhooks send`, or run the test in ./test.
 */
import { buildApp } from './app.js';

// A fixed development secret, so the example runs out of the box; never use it in production.
const DEV_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const secret = process.env.TRAX_WEBHOOK_SECRET ?? DEV_SECRET;
const app = await buildApp(secret);
if (secret === DEV_SECRET) {
  app.log.warn('TRAX_WEBHOOK_SECRET is not set: using the example development secret.');
}

const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
});
app.log.info(`receiving TRaX webhooks on ${address}/webhooks/trax`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    // close() stops taking requests, then the plugin's onClose hook lets running handlers finish.
    await app.close();
    process.exit(0);
  });
}
