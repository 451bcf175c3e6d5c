/**
 * The Fastify adapter. A note for adapter authors (after tRPC's adapters): this package uses
 * only public imports — `@trax-webhooks/core` for the receiver's types,
 * `@trax-webhooks/core/adapter` for the path, method, options and body rules every adapter
 * shares, and `@trax-webhooks/core/node` for reading and refusing on Node streams. It never
 * builds a status: every answer comes from core. It passes `describeAdapterConformance` from
 * `@trax-webhooks/core/contract` (test/conformance.test.ts).
 */
import type { TraxWebhooks, TraxWebhooksOptions, WebhookSecrets } from '@trax-webhooks/core';
import {
  type AdapterOptions,
  isWebhookSecrets,
  resolveAdapterOptions,
} from '@trax-webhooks/core/adapter';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createRequestLogger } from './request-logger.js';
import { webhookRoute } from './webhook-route.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The TRaX webhook receiver added by `@trax-webhooks/fastify`: subscribe handlers with
     * `onStreamLive`, `on`, `onAny`, `onError`…; hand it to the poller as it is.
     */
    traxWebhooks: TraxWebhooks;
  }
}

/**
 * Options of the Fastify plugin: every option of `createTraxWebhooks` from
 * `@trax-webhooks/core`, plus the route's `path` and `bodyTimeoutMs` (`AdapterOptions`).
 */
export interface FastifyTraxWebhooksOptions extends AdapterOptions {
  /**
   * The path of the route that receives deliveries (POST; other methods answer 405). Fastify's
   * `prefix` register option does not apply to this plugin (it is wrapped with fastify-plugin
   * so that `app.traxWebhooks` is visible to your app): put the whole path here.
   * @default '/webhooks/trax'
   */
  path?: string;
  /**
   * A pino-compatible logger for the receiver. By default each line goes to the logger of the
   * request being handled (`request.log`, with its `reqId`); Fastify's own logger settings
   * decide what is written.
   * @default request.log
   */
  logger?: TraxWebhooksOptions['logger'];
}

async function traxWebhooksPlugin(
  fastify: FastifyInstance,
  given: FastifyTraxWebhooksOptions | WebhookSecrets,
) {
  const options = isWebhookSecrets(given) ? { secret: given } : given;
  const requestLogger =
    options?.logger === undefined ? createRequestLogger(fastify.log) : undefined;
  // Throws a TypeError naming the option that is wrong (path, bodyTimeoutMs, secret, bodyLimit…).
  const { receiver, path, bodyTimeoutMs } = resolveAdapterOptions(
    typeof options === 'object' && options !== null
      ? { ...options, logger: options.logger ?? requestLogger }
      : options,
    'traxWebhooks',
  );

  fastify.decorate('traxWebhooks', receiver);
  // `ack: 'immediate'` handlers may still run after their reply: let them finish on close.
  fastify.addHook('onClose', async function drainTraxWebhooks() {
    await receiver.drain();
  });
  await fastify.register(webhookRoute, { webhooks: receiver, path, bodyTimeoutMs, requestLogger });
}

const PLUGIN_META = { fastify: '4.x || 5.x', name: '@trax-webhooks/fastify' };

/** The plugin itself, and a factory of the plugin for a bare secret (or options). */
export interface TraxWebhooksPlugin extends FastifyPluginAsync<FastifyTraxWebhooksOptions> {
  /** `app.register(traxWebhooks(secret))`: the plugin with its secret (or options) bound. */
  (secretOrOptions: WebhookSecrets | FastifyTraxWebhooksOptions): FastifyPluginAsync;
}

/**
 * The Fastify plugin: a route (default `/webhooks/trax`) that verifies each delivery on its
 * raw bytes, deduplicates it and runs your handlers, plus the `app.traxWebhooks` decorator to
 * subscribe them. The route lives in its own encapsulated context, so your other routes keep
 * their JSON parsing. Works with Fastify 4 and 5. Register it with options, or call it with a
 * bare secret: `app.register(traxWebhooks(process.env.TRAX_WEBHOOK_SECRET!))`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import traxWebhooks from '@trax-webhooks/fastify';
 *
 * const app = Fastify({ logger: true });
 * await app.register(traxWebhooks, { secret: process.env.TRAX_WEBHOOK_SECRET! });
 * app.traxWebhooks.onStreamLive(async (event, ctx) => {
 *   app.log.info({ studioId: event.data.studioId, deliveryId: ctx.deliveryId }, 'live');
 * });
 * await app.listen({ port: 3000 });
 * ```
 * @throws {TypeError} at registration, naming the option that is wrong
 */
export const traxWebhooks = fp(
  traxWebhooksPluginOrFactory as unknown as FastifyPluginAsync<FastifyTraxWebhooksOptions>,
  PLUGIN_META,
) as unknown as TraxWebhooksPlugin;

function traxWebhooksPluginOrFactory(
  first: FastifyInstance | WebhookSecrets | FastifyTraxWebhooksOptions,
  second?: FastifyTraxWebhooksOptions,
) {
  // Fastify calls a plugin with its instance; a user calls the factory with a secret or options.
  if (isFastifyInstance(first))
    return traxWebhooksPlugin(first, second as FastifyTraxWebhooksOptions);
  const bound = first;
  return fp(async function traxWebhooksWithSecret(fastify: FastifyInstance) {
    await traxWebhooksPlugin(fastify, bound);
  }, PLUGIN_META);
}

function isFastifyInstance(value: unknown): value is FastifyInstance {
  const candidate = value as Partial<FastifyInstance> | null;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof candidate?.register === 'function' &&
    typeof candidate.decorate === 'function'
  );
}
