import { type TraxWebhooksMiddleware, traxWebhooks } from '@trax-webhooks/express';
import { traxTelemetry } from '@trax-webhooks/otel';
import express, { type Express } from 'express';
import { prometheus } from './telemetry.js';

/** The instrumented receiver: every delivery is a span and a count; `/metrics` serves them. */
export function createApp(secret: string): { app: Express; webhooks: TraxWebhooksMiddleware } {
  // After the SDK started (telemetry.ts): it reads the global MeterProvider now.
  const telemetry = traxTelemetry();
  const webhooks = traxWebhooks({ secret, observer: telemetry });
  webhooks.onStreamLive(async function announceLive(event, ctx) {
    console.log(`${event.data.studioId} went live — delivery ${ctx.deliveryId}`);
  });
  webhooks.onStreamOffline(function announceOffline(event) {
    console.log(`${event.data.studioId} went offline`);
  });
  webhooks.onError((error) => console.warn(`delivery error ${error.code}: ${error.message}`));

  const app = express();
  app.use(webhooks);
  app.get('/metrics', (req, res) => prometheus.getMetricsRequestHandler(req, res));
  return { app, webhooks };
}
