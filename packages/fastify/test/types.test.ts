import traxWebhooks, {
  type FastifyTraxWebhooksOptions,
  type TraxEvent,
  type TraxWebhooks,
} from '@trax-webhooks/fastify';
import Fastify from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';

describe('types', () => {
  it('decorates FastifyInstance with a typed receiver', async () => {
    const app = Fastify();
    await app.register(traxWebhooks, { secret: 'whsec_dHlwZXMtdGVzdA==' });
    expectTypeOf(app.traxWebhooks).toEqualTypeOf<TraxWebhooks>();
    expectTypeOf(app.traxWebhooks.onStreamLive)
      .parameter(0)
      .parameter(0)
      .toEqualTypeOf<TraxEvent<'stream.live'>>();
    app.traxWebhooks.on('stream.offline', (event) => {
      expectTypeOf(event.data.endedAt).toEqualTypeOf<string>();
    });
    await app.close();
  });

  it('types register options', () => {
    const app = Fastify();
    void app.register(traxWebhooks, {
      secret: 'whsec_x',
      path: '/in',
      bodyLimit: 1024,
      ack: 'immediate',
    });
    expectTypeOf<FastifyTraxWebhooksOptions['path']>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error the secret is required
    void app.register(traxWebhooks, { path: '/in' });
    // @ts-expect-error path is a string
    void app.register(traxWebhooks, { secret: 'whsec_x', path: 1 });
    // A bare secret, or options, through the factory form.
    void app.register(traxWebhooks('whsec_x'));
    void app.register(traxWebhooks({ secret: 'whsec_x', bodyTimeoutMs: 5000 }));
    // @ts-expect-error bodyTimeoutMs is a number
    void app.register(traxWebhooks, { secret: 'whsec_x', bodyTimeoutMs: '5s' });
  });
});
