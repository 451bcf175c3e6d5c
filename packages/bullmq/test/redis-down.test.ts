import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerSkipReason } from '../../../test-support/redis-test-env.js';
// The Redis package's own redis-server helper: a server of the test's own, on another port.
import { unusedPort } from '../../redis/test/fault-proxy.js';
import { RedisServerProcess } from '../../redis/test/redis-server-process.js';
import { queueWorld, signedRequest } from './harness.js';

const skip = redisServerSkipReason('bullmq Redis-down tests');

describe.skipIf(skip)(
  `the receiver when the queue's Redis is down${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let server: RedisServerProcess;
    let dir: string;
    let world: ReturnType<typeof queueWorld>;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'trax-bullmq-down-'));
      server = new RedisServerProcess(await unusedPort(), dir);
      await server.start();
      world = queueWorld(server.url);
    });
    afterAll(async () => {
      await server.start().catch(() => {});
      await world.close();
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers 503 + Retry-After within the add timeout (maxRetriesPerRequest: null notwithstanding), then 202 once Redis is back', async () => {
      const { webhooks, errors } = world.receiver(
        { storeRetryAfterSeconds: 7 },
        { addTimeoutMs: 400 },
      );
      const before = signedRequest();
      expect((await webhooks.receive(before)).status).toBe(202);

      await server.kill();
      // Shutdown waits for an add in flight: drain() settles once the add did (here: timed out).
      const inFlight = webhooks.receive(signedRequest());
      const draining = Date.now();
      await webhooks.drain();
      expect(Date.now() - draining).toBeGreaterThanOrEqual(350);
      expect((await inFlight).status).toBe(503);
      errors.length = 0;

      const request = signedRequest();
      const started = Date.now();
      const answer = await webhooks.receive(request);
      const took = Date.now() - started;
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('7');
      expect(JSON.parse(answer.body).error.code).toBe('STORE_UNAVAILABLE');
      expect(took).toBeGreaterThanOrEqual(350);
      expect(took).toBeLessThan(2_000);
      expect(errors.map((e) => e.message)).toEqual([
        'The delivery queue is unavailable; retry later.',
      ]);
      // The poller's way in answers the same way.
      const polled = await webhooks.handleEvent(JSON.parse(request.rawBody.toString()), {
        deliveryId: 'poll_down',
        source: 'poll',
      });
      expect(polled.outcome).toBe('store-unavailable');

      await server.start();
      // The sender retries: now it is queued (or, when the timed-out add landed after all, a duplicate).
      let retried = await webhooks.receive(request);
      for (let i = 0; i < 50 && retried.status === 503; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        retried = await webhooks.receive(request);
      }
      expect([200, 202]).toContain(retried.status);
      await webhooks.drain();
    }, 20_000);
  },
);
