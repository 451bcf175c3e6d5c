import traxWebhooks from '@trax-webhooks/fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type LiveStudio, registerHandlers } from './handlers.js';

/**
 * The example app: the webhook plugin, and the app's own JSON routes beside it. Order does
 * not matter: the plugin's raw-body parsing stays inside its own route's context.
 */
export async function buildApp(
  secret: string,
  options: FastifyServerOptions = { logger: true },
): Promise<FastifyInstance> {
  const app = Fastify(options);
  const liveStudios = new Map<string, LiveStudio>();

  await app.register(traxWebhooks, { secret, path: '/webhooks/trax' });
  registerHandlers(app.traxWebhooks, liveStudios, app.log);

  app.get('/health', async () => ({ ok: true }));
  app.get('/studios/live', async () => [...liveStudios.values()]);
  // An ordinary JSON route: Fastify still parses its body into an object.
  app.post('/studios/:studioId/notes', async (request) => ({
    studioId: (request.params as { studioId: string }).studioId,
    note: request.body,
  }));
  return app;
}
