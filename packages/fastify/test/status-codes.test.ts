import traxWebhooks, {
  type FastifyTraxWebhooksOptions,
  type TraxWebhookError,
} from '@trax-webhooks/fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { gate, SECRET, signed, streamLive } from './support/deliveries.js';
import { FailingDeliveryStore } from './support/failing-delivery-store.js';
import { fastifyVersions } from './support/fastify-versions.js';
import { type SendOptions, transports } from './support/transports.js';

describe.each(fastifyVersions)('%s', (_version, Fastify) => {
  describe.each(transports)('over $name: every status code', (transport) => {
    let app: FastifyInstance;
    const errors: TraxWebhookError[] = [];

    async function start(options: Partial<FastifyTraxWebhooksOptions> = {}) {
      app = Fastify();
      await app.register(traxWebhooks, { secret: SECRET, ...options });
      app.traxWebhooks.onError((error) => void errors.push(error));
      return transport.start(app);
    }

    function post(delivery: { headers: Record<string, string>; body: string }): SendOptions {
      return { headers: delivery.headers, body: delivery.body };
    }

    afterEach(async () => {
      errors.length = 0;
      await app.close();
    });

    it('answers 200 and runs the typed handler once for a verified delivery', async () => {
      const send = await start();
      const seen: unknown[] = [];
      app.traxWebhooks.onStreamLive((event, ctx) => {
        seen.push([event.data.studioId, ctx.deliveryId, ctx.source]);
      });
      const delivery = signed();
      const res = await send(post(delivery));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json()).toEqual({ ok: true });
      expect(seen).toEqual([['st_1', delivery.id, 'webhook']]);
    });

    it('answers 200 duplicate for a redelivery without running the handler again', async () => {
      const send = await start();
      let runs = 0;
      app.traxWebhooks.onStreamLive(() => void runs++);
      const delivery = signed();
      await send(post(delivery));
      const again = await send(post(delivery));
      expect(again.status).toBe(200);
      expect(again.json()).toEqual({ ok: true, duplicate: true });
      expect(runs).toBe(1);
    });

    it('answers 202 at once with ack "immediate", and close() waits for the handler', async () => {
      const send = await start({ ack: 'immediate' });
      const held = gate();
      let finished = false;
      app.traxWebhooks.onStreamLive(async () => {
        await held.opened;
        finished = true;
      });
      const res = await send(post(signed()));
      expect(res.status).toBe(202);
      expect(res.json()).toEqual({ ok: true, accepted: true });
      expect(finished).toBe(false);
      const closing = app.close();
      held.open();
      await closing;
      expect(finished).toBe(true);
    });

    it('answers 400 MISSING_HEADER when the signature header is absent', async () => {
      const send = await start();
      const { 'webhook-signature': _dropped, ...headers } = signed().headers;
      const res = await send({ headers, body: signed().body });
      expect(res.status).toBe(400);
      expect(res.json().error?.code).toBe('MISSING_HEADER');
      expect(errors.map((e) => e.code)).toEqual(['MISSING_HEADER']);
    });

    it('answers 400 INVALID_JSON for a signed body that is not JSON', async () => {
      const send = await start();
      const res = await send(post(signed({ payload: 'not json {' })));
      expect(res.status).toBe(400);
      expect(res.json().error?.code).toBe('INVALID_JSON');
    });

    it('answers 400 INVALID_ENVELOPE for signed JSON that is not an event', async () => {
      const send = await start();
      const res = await send(post(signed({ payload: { hello: 'world' } })));
      expect(res.status).toBe(400);
      expect(res.json().error?.code).toBe('INVALID_ENVELOPE');
    });

    it('answers 401 INVALID_SIGNATURE for a delivery signed with another secret', async () => {
      const send = await start();
      let runs = 0;
      app.traxWebhooks.onAny(() => void runs++);
      const res = await send(
        post(signed({ secret: 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==' })),
      );
      expect(res.status).toBe(401);
      expect(res.json().error?.code).toBe('INVALID_SIGNATURE');
      expect(runs).toBe(0);
    });

    it('answers 401 INVALID_SIGNATURE when one byte of the body changed', async () => {
      const send = await start();
      const delivery = signed();
      const res = await send({
        headers: delivery.headers,
        body: delivery.body.replace('st_1', 'st_2'),
      });
      expect(res.status).toBe(401);
    });

    it('answers 401 TIMESTAMP_TOO_OLD for a delivery signed ten minutes ago', async () => {
      const send = await start();
      const res = await send(post(signed({ timestamp: Math.floor(Date.now() / 1000) - 600 })));
      expect(res.status).toBe(401);
      expect(res.json().error?.code).toBe('TIMESTAMP_TOO_OLD');
    });

    it('answers 401 TIMESTAMP_TOO_NEW for a delivery signed ten minutes ahead', async () => {
      const send = await start();
      const res = await send(post(signed({ timestamp: Math.floor(Date.now() / 1000) + 600 })));
      expect(res.status).toBe(401);
      expect(res.json().error?.code).toBe('TIMESTAMP_TOO_NEW');
    });

    it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
      'answers 405 with Allow: POST to %s on the webhook path, as Express does',
      async (method) => {
        const send = await start();
        let runs = 0;
        app.traxWebhooks.onAny(() => void runs++);
        const res = await send({ method, headers: {} });
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe('POST');
        expect(res.json().error?.code).toBe('METHOD_NOT_ALLOWED');
        expect(runs).toBe(0);
      },
    );

    it('answers 409 with Retry-After to a copy that arrives while the first is handled', async () => {
      const send = await start();
      const held = gate();
      let runs = 0;
      app.traxWebhooks.onStreamLive(async () => {
        runs++;
        await held.opened;
      });
      const delivery = signed();
      const first = send(post(delivery));
      await expect.poll(() => runs).toBe(1);
      const copy = await send(post(delivery));
      expect(copy.status).toBe(409);
      expect(copy.json().error?.code).toBe('DELIVERY_IN_FLIGHT');
      expect(Number(copy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      held.open();
      expect((await first).status).toBe(200);
      expect(runs).toBe(1);
    });

    it('answers 413 BODY_TOO_LARGE over bodyLimit, reports it, and runs no handler', async () => {
      const send = await start({ bodyLimit: 512 });
      let runs = 0;
      app.traxWebhooks.onAny(() => void runs++);
      const payload = { ...streamLive(), data: { ...streamLive().data, padding: 'x'.repeat(600) } };
      const res = await send(post(signed({ payload })));
      expect(res.status).toBe(413);
      expect(res.json().error?.code).toBe('BODY_TOO_LARGE');
      expect(errors.map((e) => e.code)).toEqual(['BODY_TOO_LARGE']);
      expect(runs).toBe(0);
      // Just under the limit still passes.
      expect((await send(post(signed()))).status).toBe(200);
    });

    it('answers 500 when a handler fails, and the retry of the same delivery succeeds', async () => {
      const send = await start();
      let attempts = 0;
      app.traxWebhooks.onStreamLive(() => {
        attempts++;
        if (attempts === 1) throw new Error('database is down');
      });
      const delivery = signed();
      const failed = await send(post(delivery));
      expect(failed.status).toBe(500);
      expect(failed.json().error?.code).toBe('HANDLER_FAILED');
      expect(failed.text).not.toContain('database is down');
      const retried = await send(post(delivery));
      expect(retried.status).toBe(200);
      expect(retried.json()).toEqual({ ok: true });
      expect(attempts).toBe(2);
    });

    it('answers 503 with Retry-After when the store cannot claim, and runs no handler', async () => {
      const store = new FailingDeliveryStore();
      const send = await start({ store, storeRetryAfterSeconds: 7 });
      let runs = 0;
      app.traxWebhooks.onAny(() => void runs++);
      const res = await send(post(signed()));
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.json().error?.code).toBe('STORE_UNAVAILABLE');
      expect(store.claims).toBe(1);
      expect(runs).toBe(0);
      expect(errors.map((e) => e.code)).toEqual(['STORE_UNAVAILABLE']);
    });
  });
});
