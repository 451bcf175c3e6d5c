import { traxWebhooks } from '@trax-webhooks/express';
import traxWebhooksPlugin from '@trax-webhooks/fastify';
import express from 'express';
import Fastify from 'fastify';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { redisSkipReason } from '../../../test-support/redis-test-env.js';
import { eventually, liveEvent, queueWorld, SECRET, signedRequest } from './harness.js';

const skip = await redisSkipReason('bullmq tests');

describe.skipIf(skip)(
  `queue mode through the adapters, which pass the option on${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let world: ReturnType<typeof queueWorld>;
    afterEach(async () => {
      await world.close();
    });

    /** A worker receiver that records what its handlers saw. */
    function recordingWorker() {
      const worker = world.workerReceiver();
      const seen: Array<{ deliveryId: string; studioId: string }> = [];
      worker.webhooks.onStreamLive((event, ctx) => {
        seen.push({ deliveryId: ctx.deliveryId, studioId: event.data.studioId });
      });
      world.worker(worker.webhooks);
      return seen;
    }

    it('Express (supertest on a real app): 202 queued, 200 duplicate, and no handler runs in the receiver', async () => {
      world = queueWorld();
      const queue = world.queue();
      const webhooks = traxWebhooks({ secret: SECRET, queue });
      let ranInReceiver = 0;
      webhooks.onStreamLive(() => {
        ranInReceiver++;
      });
      const app = express().use(webhooks);
      const delivery = signedRequest(undefined, liveEvent('st_express'));
      const post = () =>
        request(app).post('/webhooks/trax').set(delivery.headers).send(delivery.rawBody.toString());
      const first = await post();
      expect([first.status, first.body]).toEqual([202, { ok: true, queued: true }]);
      const copy = await post();
      expect([copy.status, copy.body]).toEqual([200, { ok: true, duplicate: true }]);
      const seen = recordingWorker();
      await eventually(() => seen.length === 1);
      expect(seen).toEqual([{ deliveryId: delivery.id, studioId: 'st_express' }]);
      expect(ranInReceiver).toBe(0);
    });

    it('Express: a forged delivery is answered 401 and never reaches the queue', async () => {
      world = queueWorld();
      const queue = world.queue();
      const app = express().use(traxWebhooks({ secret: SECRET, queue }));
      const delivery = signedRequest();
      const answer = await request(app)
        .post('/webhooks/trax')
        .set({ ...delivery.headers, 'webhook-signature': 'v1,Zm9yZ2Vk' })
        .send(delivery.rawBody.toString());
      expect(answer.status).toBe(401);
      expect(await queue.queue.count()).toBe(0);
    });

    it('Fastify (inject): 202 queued, 200 duplicate, workers run the handlers', async () => {
      world = queueWorld();
      const queue = world.queue();
      const app = Fastify();
      await app.register(traxWebhooksPlugin, { secret: SECRET, queue });
      try {
        const delivery = signedRequest(undefined, liveEvent('st_fastify'));
        const inject = () =>
          app.inject({
            method: 'POST',
            url: '/webhooks/trax',
            headers: delivery.headers,
            payload: delivery.rawBody,
          });
        const first = await inject();
        expect([first.statusCode, first.json()]).toEqual([202, { ok: true, queued: true }]);
        const copy = await inject();
        expect([copy.statusCode, copy.json()]).toEqual([200, { ok: true, duplicate: true }]);
        const seen = recordingWorker();
        await eventually(() => seen.length === 1);
        expect(seen).toEqual([{ deliveryId: delivery.id, studioId: 'st_fastify' }]);
      } finally {
        await app.close();
      }
    });
  },
);
