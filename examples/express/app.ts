import { type TraxWebhooksMiddleware, traxWebhooks } from '@trax-webhooks/express';
import express, { type Express } from 'express';
import { type ExampleLog, registerHandlers } from './handlers.js';

/** The example app: the webhook middleware first, then the app's own JSON routes. */
export function createApp(
  secret: string,
  log: ExampleLog = console,
): { app: Express; webhooks: TraxWebhooksMiddleware } {
  const webhooks = traxWebhooks(secret);
  registerHandlers(webhooks, log);

  const app = express();
  // Before express.json(): the middleware needs the untouched bytes to check the signature.
  app.use(webhooks);
  app.use(express.json());
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  return { app, webhooks };
}
