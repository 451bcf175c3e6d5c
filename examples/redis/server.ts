/**
 * One receiver process with its dedupe in Redis: `pnpm start` (or `pnpm start:cluster` for several).
 *
 * | variable | default |
 * |---|---|
 * | `REDIS_URL` | `redis://127.0.0.1:6379` |
 * | `TRAX_WEBHOOK_SECRET` | a development secret (with a warning) |
 * | `PORT` | `3000` (`0`: any free port) |
 * | `TRAX_REDIS_PREFIX` | the store's `trax-webhooks:delivery:` |
 * | `HANDLER_DELAY_MS` | `0`: how long each delivery's handlers take, to watch the 409 |
 */
import type { AddressInfo } from 'node:net';
import { recommendedRedisOptions } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
import type { ExampleLog } from '../express/handlers.js';
import { createRedisApp } from './app.js';

// A fixed development secret, so the example runs out of the box; never use it in production.
const DEV_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const secret = process.env.TRAX_WEBHOOK_SECRET ?? DEV_SECRET;
if (secret === DEV_SECRET)
  console.warn('TRAX_WEBHOOK_SECRET is not set: using the example development secret.');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.TRAX_REDIS_PREFIX || undefined;
const handlerDelayMs = Number(process.env.HANDLER_DELAY_MS ?? 0);
if (!Number.isFinite(handlerDelayMs) || handlerDelayMs < 0)
  throw new TypeError('HANDLER_DELAY_MS must be a number of milliseconds, 0 or more');

// Every line says which process wrote it: that is the point of the example.
let tag = `pid ${process.pid}`;
const log: ExampleLog = {
  info: (message) => console.log(`[${tag}] ${message}`),
  error: (message) => console.error(`[${tag}] ${message}`),
};

// One client per process, all pointing at the same Redis: the claim is one atomic script there.
const redis = new Redis(redisUrl, recommendedRedisOptions);
const where = redactPassword(redisUrl);
let redisDown = false;
redis.on('ready', () => {
  log.info(`redis ready at ${where}${redisDown ? ' again' : ''}`);
  redisDown = false;
});
redis.on('error', (error: Error) => {
  // ioredis keeps reconnecting (recommendedRedisOptions); say so once, not every second.
  if (redisDown) return;
  redisDown = true;
  log.error(
    `redis at ${where} unavailable (${error.message}): deliveries get 503 until it is back`,
  );
});

const { app, webhooks } = createRedisApp({ secret, redis, prefix, handlerDelayMs, log });
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  tag = `:${port} pid ${process.pid}`;
  const url = `http://127.0.0.1:${port}${webhooks.path}`;
  log.info(`listening on ${url} (dedupe in Redis${prefix ? ` under ${prefix}` : ''})`);
  // Started by cluster.ts: tell it where this process listens.
  process.send?.({ listening: url });
});

let stopping: Promise<void> | undefined;
function shutdown(): Promise<void> {
  // Idempotent: Ctrl-C reaches every process of the group, and cluster.ts forwards signals too.
  stopping ??= (async () => {
    // A stuck connection must not keep the process forever.
    setTimeout(() => process.exit(1), 10_000).unref();
    // Stop taking deliveries and let the ones in progress answer (they still need Redis)…
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await webhooks.drain();
    // …then close Redis politely: QUIT waits for replies still on their way.
    await redis.quit().catch(() => redis.disconnect());
    log.info('stopped');
    process.exit(0);
  })();
  return stopping;
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

/** The URL for log lines: never print a password that REDIS_URL may carry. */
function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(REDIS_URL)';
  }
}
