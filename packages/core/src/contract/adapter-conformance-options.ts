import type { AdapterOptions } from '../adapter/adapter-options.js';
import type { TraxWebhookRouter } from '../router.js';
import type { WebhookSecrets } from '../secrets.js';
import type { ConformanceChildServer } from './conformance-child.js';

/** A server the suite started through the adapter. */
export interface AdapterServer {
  /**
   * Where deliveries go: for an adapter that routes by path, the origin plus the `path` it was
   * given (`/webhooks/trax` by default); else wherever the framework mounted the handler.
   */
  readonly url: string;
  /** The receiver behind it (the adapter itself, `app.traxWebhooks`…), to subscribe handlers. */
  readonly receiver: Pick<TraxWebhookRouter, 'onAny' | 'onError'>;
  /** Stops the server (closing open connections). */
  close(): Promise<void>;
}

/** What an adapter gives the suite, and what it does (the suite's only "exceptions"). */
export interface AdapterConformanceOptions {
  /**
   * Starts a server around the adapter made from `given`, exactly as a user passes it: a bare
   * secret, or options (`secret`, `path`, `bodyLimit`, `bodyTimeoutMs`, `ack`, `store`…).
   * Rejects (with the adapter's `TypeError`) when the options are bad.
   */
  start(given: WebhookSecrets | AdapterOptions): Promise<AdapterServer>;
  /** The same server in a process of its own, for the 413 reproduction: see {@link ConformanceChildServer}. */
  childServer: ConformanceChildServer;
  /**
   * Whether the adapter matches the path itself (Express, Fastify: `path` option, trailing
   * slash, case, query), or a framework routes to it (a Web handler exported as `POST`).
   */
  routesByPath: boolean;
  /**
   * Whether the adapter bounds the body's time itself (`bodyTimeoutMs` → 408). A runtime that
   * bounds it before the handler runs says `false`, and the 408 tests are skipped, saying so.
   */
  boundsBodyTime: boolean;
  /**
   * Starts a server where something consumed the body before the adapter (a body parser
   * mounted first). Omitted where nothing can (the suite says so); the adapter must answer
   * 500 `RAW_BODY_UNAVAILABLE` without running a handler.
   */
  startWithBodyConsumed?(given: AdapterOptions): Promise<AdapterServer>;
  /** How many times each oversized upload is sent to the child server (issue 11 sent 6 × 4 = 24). @default 6 */
  uploadRounds?: number;
}
