import { type TraxWebhooksMiddleware, traxWebhooks } from '@trax-webhooks/express';
import { pollStreamStatus, type StreamStatusPoller } from '@trax-webhooks/poller';
import express, { type Express } from 'express';
// The very handlers of examples/express: written once, fed here by the poller.
import { type ExampleLog, registerHandlers } from '../express/handlers.js';

export interface PollingAppOptions {
  /** The webhook signing secret (used once TRaX ships webhooks; the poller needs none). */
  secret: string;
  /** A TRaX API key with read access to the studios. */
  apiKey: string;
  /** The TRaX API, or the mock API in development. */
  baseUrl: string;
  studios: string[];
  intervalMs: number;
  log?: ExampleLog;
}

/**
 * The Express example's app, plus a poller feeding the same receiver. The middleware stays
 * mounted, so the day TRaX ships webhooks, deleting `pollStreamStatus(…)` is the whole switch.
 */
export function createPollingApp(options: PollingAppOptions): {
  app: Express;
  webhooks: TraxWebhooksMiddleware;
  poller: StreamStatusPoller;
} {
  const webhooks = traxWebhooks(options.secret);
  registerHandlers(webhooks, options.log);

  const app = express();
  app.use(webhooks);
  app.get('/health', (_req, res) => {
    res.json({ ok: true, polling: poller.stats() });
  });

  // Today: poll. The events, types, delivery ids and dedupe are those of real webhooks.
  const poller = pollStreamStatus(webhooks, {
    apiKey: options.apiKey,
    studios: options.studios,
    baseUrl: options.baseUrl,
    intervalMs: options.intervalMs,
  });
  return { app, webhooks, poller };
}
