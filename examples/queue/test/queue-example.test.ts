import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleProcess, startExampleProcess } from '../../../test-support/example-process.js';
import { deleteKeys, REDIS_URL, redisSkipReason } from '../../../test-support/redis-test-env.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';
const skip = await redisSkipReason('queue example test');

function liveDelivery(studioId: string) {
  return signDelivery({
    secret: SECRET,
    id: `msg_example_queue_${randomUUID().replaceAll('-', '')}`,
    payload: {
      type: 'stream.live',
      timestamp: new Date().toISOString(),
      data: {
        studioId,
        encoderStreamId: 'enc_q',
        liveStartedAt: '2026-11-27T12:00:00.000Z',
        mode: 'cloud',
      },
    },
  });
}

async function post(url: string, delivery: ReturnType<typeof liveDelivery>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  return { status: response.status, body: await response.json() };
}

/** How many times the stream.live handler ran for `id`, across these outputs. */
function handlerRuns(outputs: string[], id: string): number {
  return outputs.join('').split(`— delivery ${id}\n`).length - 1;
}

describe.skipIf(skip)(
  `examples/queue: one receiver, two workers${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const prefix = `trax-test-bull:example-${randomUUID()}`;
    const env = {
      PORT: '0',
      REDIS_URL,
      TRAX_WEBHOOK_SECRET: SECRET,
      TRAX_QUEUE_PREFIX: prefix,
      HANDLER_DELAY_MS: '1500',
    };
    let receiver: ExampleProcess;
    let workers: ExampleProcess[];
    let url: string;

    beforeAll(async () => {
      receiver = startExampleProcess(exampleDir, 'receiver.ts', env);
      workers = [
        startExampleProcess(exampleDir, 'worker.ts', env),
        startExampleProcess(exampleDir, 'worker.ts', env),
      ];
      url = (await receiver.waitFor(/listening on (\S+)/))[1]!;
      for (const worker of workers) await worker.waitFor(/ready, waiting for deliveries/);
    }, 40_000);

    afterAll(async () => {
      await Promise.all([receiver, ...workers].map((p) => p?.stop()));
      const redis = new Redis(REDIS_URL);
      await deleteKeys(redis, `${prefix}:`);
      await redis.quit();
    });

    it('answers 202 at once though the handlers take 1.5 s, 200 for a copy, and a worker runs each delivery once', async () => {
      const deliveries = Array.from({ length: 6 }, (_, i) => liveDelivery(`st_${i}`));
      const started = Date.now();
      const answers = await Promise.all(deliveries.map((d) => post(url, d)));
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202]);
      expect(await post(url, deliveries[0]!)).toEqual({
        status: 200,
        body: { ok: true, duplicate: true },
      });
      const outputs = () => workers.map((w) => w.output());
      for (const d of deliveries) {
        const until = Date.now() + 15_000;
        while (handlerRuns(outputs(), d.id) < 1 && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(handlerRuns(outputs(), d.id)).toBe(1);
      }
      // No handler ran in the receiver.
      expect(receiver.output()).not.toMatch(/went live/);
    }, 30_000);

    it('SIGTERM: a worker finishes its active job before it exits, and no delivery is lost', async () => {
      const delivery = liveDelivery('st_sigterm');
      // Only the first worker runs; the second is stopped first.
      expect(await workers[1]!.stop()).toBe(0);
      expect((await post(url, delivery)).status).toBe(202);
      await workers[0]!.waitFor(new RegExp(`delivery ${delivery.id}`), 10_000);
      // The job is active (its handlers take 1.5 s): stop now.
      const code = await workers[0]!.stop();
      expect(code).toBe(0);
      const output = workers[0]!.output();
      expect(handlerRuns([output], delivery.id)).toBe(1);
      // The job finished before the worker said it stopped.
      const done = output.indexOf(`(${delivery.id}) done: handled`);
      expect(done).toBeGreaterThan(output.indexOf('SIGTERM: finishing active jobs'));
      expect(done).toBeLessThan(output.lastIndexOf('stopped'));
    }, 30_000);
  },
);
