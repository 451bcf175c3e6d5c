// Compiled by `tsconfig.fastify4.json` with `fastify` mapped to Fastify 4's own types: the
// published declarations must type-check for a Fastify 4 app too (runtime is covered by the suites).
import traxWebhooks, { type TraxEvent } from '@trax-webhooks/fastify';
import Fastify from 'fastify';

export async function fastify4App() {
  const app = Fastify();
  await app.register(traxWebhooks, { secret: 'whsec_dHlwZXM=', path: '/in', bodyLimit: 2048 });
  app.traxWebhooks.onStreamLive((event: TraxEvent<'stream.live'>, ctx) => {
    const studio: string = event.data.studioId;
    return [studio, ctx.deliveryId];
  });
  await app.register(traxWebhooks('whsec_dHlwZXM='));
  // @ts-expect-error the secret is required on Fastify 4 as well
  await app.register(traxWebhooks, { path: '/in' });
  return app;
}
