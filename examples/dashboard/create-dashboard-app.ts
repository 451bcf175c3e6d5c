import { fileURLToPath } from 'node:url';
import { contentEventKey, type TraxWebhooksMiddleware, traxWebhooks } from '@trax-webhooks/express';
import express, { type Express } from 'express';
import { createDashboardObserver } from './dashboard-observer.js';
import { DashboardState } from './dashboard-state.js';
import { registerDashboardHandlers } from './register-dashboard-handlers.js';
import { SseHub } from './sse-hub.js';

export interface DashboardAppOptions {
  /** The receiver's signing secret. */
  secret: string;
  /** What the header says the feed is. */
  feedDescription: string;
  /** The studios that get a tile from the start. */
  studios: string[];
  /**
   * Deduplicate on the event's content rather than its delivery id, so one transition that
   * arrives both polled and pushed runs the handlers once (the `trax` feed polls beside webhooks).
   * @default false
   */
  dedupeOnContent?: boolean;
  /** Serve `POST /_dashboard/drop-sse`, which cuts every page's event stream (for tests and demos). */
  controls?: boolean;
}

export interface DashboardApp {
  app: Express;
  webhooks: TraxWebhooksMiddleware;
  state: DashboardState;
  sse: SseHub;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * The dashboard: the webhook receiver with the dashboard's handlers, the page, its event
 * stream (`GET /events`) and a snapshot of the state (`GET /api/state`).
 *
 * @example
 * ```ts
 * const { app, webhooks } = createDashboardApp({ secret, feedDescription: 'webhooks', studios: ['st_1'] });
 * app.listen(3030);
 * ```
 */
export function createDashboardApp(options: DashboardAppOptions): DashboardApp {
  const state = new DashboardState(options.feedDescription, options.studios);
  const webhooks = traxWebhooks({
    secret: options.secret,
    observer: createDashboardObserver(state),
    ...(options.dedupeOnContent ? { dedupeKey: contentEventKey } : {}),
  });
  registerDashboardHandlers(webhooks, state);
  const sse = new SseHub(state);

  const app = express();
  // First: the receiver reads the raw bytes itself, and nothing else needs a body parser.
  app.use(webhooks);
  app.get('/events', (req, res) => sse.handle(req, res));
  app.get('/api/state', (_req, res) => {
    res.set('cache-control', 'no-store').json(state.snapshot());
  });
  if (options.controls) {
    app.post('/_dashboard/drop-sse', (req, res) => {
      const refuseMs = Number(req.query.refuseMs ?? 0);
      if (!Number.isInteger(refuseMs) || refuseMs < 0 || refuseMs > 60_000) {
        res.status(400).json({ error: 'refuseMs must be a whole number of ms from 0 to 60000' });
        return;
      }
      res.json({ dropped: sse.drop(refuseMs), refuseMs });
    });
  }
  app.use(express.static(PUBLIC_DIR, { index: 'index.html' }));
  return { app, webhooks, state, sse };
}
