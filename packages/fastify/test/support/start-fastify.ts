import { type AdapterOptions, isWebhookSecrets } from '@trax-webhooks/core/adapter';
import type { AdapterServer } from '@trax-webhooks/core/contract';
import traxWebhooks, { type WebhookSecrets } from '@trax-webhooks/fastify';
import Fastify5 from 'fastify';
import Fastify4 from 'fastify4';

/** Both supported Fastify majors, by the name the conformance child takes on its command line. */
export const fastifyMajors = {
  fastify5: Fastify5,
  fastify4: Fastify4 as unknown as typeof Fastify5,
} as const;
export type FastifyMajor = keyof typeof fastifyMajors;

/**
 * A Fastify app with the plugin registered from `given` (a bare secret through
 * `traxWebhooks(secret)`, options through `register(traxWebhooks, options)`), listening on a
 * loopback port. With `replaceBody`, an app hook replaces `request.body` before the route runs.
 */
export async function startFastify(
  major: FastifyMajor,
  given: WebhookSecrets | AdapterOptions,
  replaceBody = false,
): Promise<AdapterServer> {
  const app = fastifyMajors[major]();
  if (replaceBody) {
    app.addHook('preHandler', async (request) => {
      request.body = { type: 'stream.live', timestamp: new Date().toISOString(), data: {} };
    });
  }
  try {
    if (isWebhookSecrets(given)) await app.register(traxWebhooks(given));
    else await app.register(traxWebhooks, given);
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    const { path = '/webhooks/trax' } = isWebhookSecrets(given) ? {} : given;
    return {
      url: new URL(path.length > 1 ? path.replace(/\/$/, '') : path, origin).href,
      receiver: app.traxWebhooks,
      close: () => app.close(),
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}
