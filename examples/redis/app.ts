import { setTimeout as sleep } from 'node:timers/promises';
import { type TraxWebhooksMiddleware, traxWebhooks } from '@trax-webhooks/express';
import { type RedisClient, RedisDeliveryStore } from '@trax-webhooks/redis';
import express, { type Express } from 'express';
// The very handlers of examples/express: written once, deduplicated here across processes.
import { type ExampleLog, registerHandlers } from '../express/handlers.js';
import { createConsoleLogger } from './console-logger.js';

export interface RedisAppOptions {
  /** The webhook signing secret. */
  secret: string;
  /** The ioredis client this process uses; every process points at the same Redis. */
  redis: RedisClient;
  /**
   * The key prefix of the delivery store. Every process that should share one dedupe uses the
   * same prefix. @default RedisDeliveryStore's `'trax-webhooks:delivery:'`
   */
  prefix?: string | undefined;
  /**
   * Extra time every delivery takes, to play a slow handler: while it runs, a copy sent to another
   * process is answered 409 + Retry-After instead of running twice. @default 0
   */
  handlerDelayMs?: number;
  /** Where handler and dedupe lines go. @default console */
  log?: ExampleLog;
}

/**
 * The Express example's app with one change: deliveries are claimed in Redis, so any number of
 * processes running this app run each delivery's handlers once between them.
 */
export function createRedisApp(options: RedisAppOptions): {
  app: Express;
  webhooks: TraxWebhooksMiddleware;
} {
  const log = options.log ?? console;
  const webhooks = traxWebhooks({
    secret: options.secret,
    store: new RedisDeliveryStore(
      options.redis,
      options.prefix === undefined ? {} : { prefix: options.prefix },
    ),
    // Prints the receiver's own "Duplicate delivery acknowledged" lines, so the dedupe is visible.
    logger: createConsoleLogger(log),
  });
  registerHandlers(webhooks, log);

  const delayMs = options.handlerDelayMs ?? 0;
  if (delayMs > 0) {
    webhooks.onAny(async function simulateSlowWork() {
      // The claim is held until every handler settles: this stretches the in-flight window.
      await sleep(delayMs);
    });
  }

  const app = express();
  app.use(webhooks);
  app.use(express.json());
  app.get('/health', (_req, res) => {
    res.json({ ok: true, redis: options.redis.status });
  });
  return { app, webhooks };
}
