import {
  createTraxWebhooks,
  type TraxWebhooks,
  type TraxWebhooksOptions,
} from '@trax-webhooks/core';
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

/** The default route path. */
export const DEFAULT_PATH = '/webhooks/trax';

/**
 * Options of the Fastify plugin: every option of `createTraxWebhooks` from
 * `@trax-webhooks/core`, plus the route's path.
 */
export interface FastifyTraxWebhooksOptions extends TraxWebhooksOptions {
  /**
   * The path of the POST route that receives deliveries. Fastify's `prefix` register option
   * does not apply to this plugin (it is wrapped with fastify-plugin so that
   * `app.traxWebhooks` is visible to your app): put the whole path here.
   * @default '/webhooks/trax'
   */
  path?: string;
  /**
   * The body limit in bytes, enforced by Fastify on this route only; larger deliveries are
   * answered 413 and reported as `BODY_TOO_LARGE` through `onError`.
   * @default 1_048_576 (1 MiB)
   */
  bodyLimit?: number;
  /**
   * A pino-compatible logger for the receiver. By default each line goes to the logger of the
   * request being handled (`request.log`, with its `reqId`); Fastify's own logger settings
   * decide what is written.
   * @default request.log
   */
  logger?: TraxWebhooksOptions['logger'];
}

async function traxWebhooksPlugin(fastify: FastifyInstance, options: FastifyTraxWebhooksOptions) {
  const { path = DEFAULT_PATH, logger, ...receiverOptions } = options ?? {};
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError('path option must be a string starting with "/"');
  }
  const requestLogger = logger === undefined ? createRequestLogger(fastify.log) : undefined;
  // Core validates the rest (secret, bodyLimit, store…) and throws a TypeError naming the option.
  const webhooks = createTraxWebhooks({ ...receiverOptions, logger: logger ?? requestLogger });

  fastify.decorate('traxWebhooks', webhooks);
  // `ack: 'immediate'` handlers may still run after their reply: let them finish on close.
  fastify.addHook('onClose', async function drainTraxWebhooks() {
    await webhooks.drain();
  });
  await fastify.register(webhookRoute, { webhooks, path, requestLogger });
}

/**
 * The Fastify plugin: a POST route (default `/webhooks/trax`) that verifies each delivery on
 * its raw bytes, deduplicates it and runs your handlers, plus the `app.traxWebhooks` decorator
 * to subscribe them. The route lives in its own encapsulated context, so your other routes
 * keep their JSON parsing. Works with Fastify 4 and 5.
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
export const traxWebhooks: FastifyPluginAsync<FastifyTraxWebhooksOptions> = fp(traxWebhooksPlugin, {
  fastify: '4.x || 5.x',
  name: '@trax-webhooks/fastify',
});
