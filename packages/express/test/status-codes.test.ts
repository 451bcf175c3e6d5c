import type { ClaimResult, DeliveryStore, TraxWebhookError } from '@trax-webhooks/core';
import { traxWebhooks } from '@trax-webhooks/express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { expressVersions, OTHER_SECRET, PATH, SECRET, signed, until } from './helpers.js';

/** A real DeliveryStore whose backend is down: every call rejects. */
class UnreachableStore implements DeliveryStore {
  async claim(): Promise<ClaimResult> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
  }
  async complete(): Promise<boolean> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
  }
  async release(): Promise<boolean> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
  }
}

type Express = (typeof expressVersions)[number][1];
type Mounting = 'stream' | 'express.raw' | 'json verify';

/** What runs before the middleware, for each way of handing it the raw bytes. */
function mount(express: Express, mounting: Mounting) {
  const app = express();
  if (mounting === 'express.raw') app.use(express.raw({ type: '*/*' }));
  if (mounting === 'json verify') {
    app.use(
      express.json({
        verify: (req, _res, buf) => {
          (req as unknown as { rawBody: Buffer }).rawBody = buf;
        },
      }),
    );
  }
  return app;
}

describe.each(expressVersions)('%s: every status code in the README table', (_name, express) => {
  describe.each<Mounting>(['stream', 'express.raw', 'json verify'])(
    'raw body from %s',
    (mounting) => {
      function setup(options: Partial<Parameters<typeof traxWebhooks>[0] & object> = {}) {
        const webhooks = traxWebhooks({ secret: SECRET, ...options });
        const errors: TraxWebhookError[] = [];
        webhooks.onError((error) => {
          errors.push(error);
        });
        const app = mount(express, mounting);
        app.use(webhooks);
        return { app, webhooks, errors };
      }
      const post = (app: Parameters<typeof request>[0], delivery: ReturnType<typeof signed>) =>
        request(app).post(PATH).set(delivery.headers).send(delivery.body);

      it('200: runs the typed handler once with the delivery context', async () => {
        const { app, webhooks } = setup();
        const seen: Array<[string, string, string]> = [];
        webhooks.onStreamLive((event, ctx) => {
          seen.push([event.data.studioId, ctx.deliveryId, ctx.source]);
        });
        const delivery = signed();
        const res = await post(app, delivery);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ok: true });
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(seen).toEqual([['st_1', delivery.id, 'webhook']]);
      });

      it('200: acknowledges a duplicate delivery without running the handler again', async () => {
        const { app, webhooks } = setup();
        const handler = vi.fn();
        webhooks.onStreamLive(handler);
        const delivery = signed();
        await post(app, delivery).expect(200);
        const again = await post(app, delivery);
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ ok: true, duplicate: true });
        expect(handler).toHaveBeenCalledTimes(1);
      });

      it("202: with ack 'immediate' answers before the handler runs, and drain() waits for it", async () => {
        const { app, webhooks } = setup({ ack: 'immediate' });
        let finished = false;
        webhooks.onStreamLive(async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          finished = true;
        });
        const res = await post(app, signed());
        expect(res.status).toBe(202);
        expect(finished).toBe(false);
        await webhooks.drain();
        expect(finished).toBe(true);
      });

      it('400: a delivery without a signature header', async () => {
        const { app, errors } = setup();
        const { 'webhook-signature': _dropped, ...headers } = signed().headers;
        const res = await request(app).post(PATH).set(headers).send(signed().body);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('MISSING_HEADER');
        expect(errors.map((e) => e.code)).toEqual(['MISSING_HEADER']);
      });

      it('400: a signed body that is not JSON', async () => {
        const { app, errors } = setup();
        const res = await post(app, signed({ payload: 'not json {' }));
        expect(res.status).toBe(400);
        if (mounting === 'json verify') {
          // express.json() itself rejects it before the middleware runs: still a 400.
          expect(errors).toEqual([]);
          return;
        }
        expect(res.body.error.code).toBe('INVALID_JSON');
        expect(errors.map((e) => e.code)).toEqual(['INVALID_JSON']);
      });

      it('400: signed JSON that is not an event envelope', async () => {
        const { app } = setup();
        const res = await post(app, signed({ payload: { hello: 'world' } }));
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('INVALID_ENVELOPE');
      });

      it('401: a signature made with another secret, and nothing runs', async () => {
        const { app, webhooks } = setup();
        const handler = vi.fn();
        webhooks.onAny(handler);
        const res = await post(app, signed({ secret: OTHER_SECRET }));
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('INVALID_SIGNATURE');
        expect(handler).not.toHaveBeenCalled();
      });

      it('401: a body changed after signing', async () => {
        const { app } = setup();
        const delivery = signed();
        const res = await request(app)
          .post(PATH)
          .set(delivery.headers)
          .send(delivery.body.replace('st_1', 'st_2'));
        expect(res.status).toBe(401);
      });

      it('401: a timestamp older than the tolerance (replay)', async () => {
        const { app } = setup();
        const res = await post(app, signed({ timestamp: Math.floor(Date.now() / 1000) - 301 - 5 }));
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('TIMESTAMP_TOO_OLD');
      });

      it('401: a timestamp further ahead than the tolerance', async () => {
        const { app } = setup();
        const res = await post(app, signed({ timestamp: Math.floor(Date.now() / 1000) + 301 + 5 }));
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('TIMESTAMP_TOO_NEW');
      });

      it('405: another method on the path, with Allow: POST', async () => {
        const { app } = setup();
        for (const method of ['get', 'put', 'delete', 'patch'] as const) {
          const res = await request(app)[method](PATH);
          expect(res.status, method).toBe(405);
          expect(res.headers.allow).toBe('POST');
        }
      });

      it('409: a copy arriving while the first is being handled, with Retry-After', async () => {
        const { app, webhooks } = setup();
        let release = () => {};
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        let started = 0;
        webhooks.onStreamLive(async () => {
          started++;
          await gate;
        });
        const delivery = signed();
        const first = post(app, delivery).then((res) => res);
        await until(() => started === 1);
        const copy = await post(app, delivery);
        expect(copy.status).toBe(409);
        expect(copy.body.error.code).toBe('DELIVERY_IN_FLIGHT');
        expect(Number(copy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        release();
        expect((await first).status).toBe(200);
        expect(started).toBe(1);
      });

      it('413: a body over the limit (with Connection: close when the middleware stopped reading it)', async () => {
        const { app, errors } = setup({ bodyLimit: 256 });
        const delivery = signed({
          payload: { ...JSON.parse(signed().body), padding: 'x'.repeat(400) },
        });
        const res = await post(app, delivery);
        expect(res.status).toBe(413);
        expect(res.body.error.code).toBe('BODY_TOO_LARGE');
        // Only a body the middleware stopped reading leaves unread bytes behind.
        if (mounting === 'stream') expect(res.headers.connection).toBe('close');
        expect(errors.map((e) => e.code)).toEqual(['BODY_TOO_LARGE']);
      });

      it('500: a failing handler answers 500, and the retry runs it again and succeeds', async () => {
        const { app, webhooks, errors } = setup();
        let calls = 0;
        webhooks.onStreamLive(() => {
          calls++;
          if (calls === 1) throw new Error('database down');
        });
        const delivery = signed();
        const first = await post(app, delivery);
        expect(first.status).toBe(500);
        expect(first.body.error.code).toBe('HANDLER_FAILED');
        expect(JSON.stringify(first.body)).not.toContain('database down');
        expect(errors[0]?.code).toBe('HANDLER_FAILED');
        expect(errors[0]?.deliveryId).toBe(delivery.id);
        const retry = await post(app, delivery);
        expect(retry.status).toBe(200);
        expect(calls).toBe(2);
      });

      it('503: the store is unreachable, with Retry-After, and nothing runs', async () => {
        const { app, webhooks, errors } = setup({ store: new UnreachableStore() });
        const handler = vi.fn();
        webhooks.onAny(handler);
        const res = await post(app, signed());
        expect(res.status).toBe(503);
        expect(res.body.error.code).toBe('STORE_UNAVAILABLE');
        expect(res.headers['retry-after']).toBe('5');
        expect(handler).not.toHaveBeenCalled();
        expect(errors.map((e) => e.code)).toEqual(['STORE_UNAVAILABLE']);
      });

      it('accepts header names in any case from the sender (Node lower-cases them; the middleware reads req.headers, never rawHeaders)', async () => {
        const { app, webhooks } = setup();
        const handler = vi.fn();
        webhooks.onStreamLive(handler);
        const delivery = signed();
        const res = await request(app)
          .post(PATH)
          .set('Content-Type', 'application/json')
          .set('Webhook-Id', delivery.headers['webhook-id']!)
          .set('WEBHOOK-TIMESTAMP', delivery.headers['webhook-timestamp']!)
          .set('Webhook-Signature', delivery.headers['webhook-signature']!)
          .send(delivery.body);
        expect(res.status).toBe(200);
        expect(handler).toHaveBeenCalledTimes(1);
      });
    },
  );
});

describe.each(expressVersions)('%s: 500 when the raw body is gone', (_name, express) => {
  const post = (app: Parameters<typeof request>[0], delivery: ReturnType<typeof signed>) =>
    request(app).post(PATH).set(delivery.headers).send(delivery.body);

  it('500: the raw body is unavailable because express.json() ran first', async () => {
    const webhooks = traxWebhooks(SECRET);
    const errors: TraxWebhookError[] = [];
    webhooks.onError((error) => {
      errors.push(error);
    });
    const handler = vi.fn();
    webhooks.onAny(handler);
    const app = express();
    app.use(express.json());
    app.use(webhooks);
    const res = await post(app, signed());
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('RAW_BODY_UNAVAILABLE');
    expect(handler).not.toHaveBeenCalled();
    expect(errors).toHaveLength(1);
    // The message tells the developer exactly what to change.
    expect(errors[0]?.message).toContain('mount traxWebhooks before express.json()');
    expect(errors[0]?.message).toContain("express.raw({ type: '*/*' })");
    expect(errors[0]?.message).toContain('req.rawBody = buf');
  });
});
