import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleProcess, startExampleProcess } from '../../../test-support/example-process.js';
import {
  deleteKeys,
  keysUnder,
  REDIS_URL,
  redisSkipReason,
  uniquePrefix,
} from '../../../test-support/redis-test-env.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';
// Long enough that a copy sent at the same moment always finds the first one still running.
const HANDLER_DELAY_MS = 2_000;

const skip = await redisSkipReason('redis example test');

/** A signed stream.live delivery with an id no other run uses. */
function liveDelivery(studioId: string) {
  return signDelivery({
    secret: SECRET,
    id: `msg_example_redis_${randomUUID().replaceAll('-', '')}`,
    payload: {
      type: 'stream.live',
      timestamp: new Date().toISOString(),
      data: {
        studioId,
        encoderStreamId: 'enc_redis',
        liveStartedAt: '2026-11-27T12:00:00.000Z',
        mode: 'cloud',
      },
    },
  });
}

type Delivery = ReturnType<typeof liveDelivery>;

async function post(url: string, delivery: Delivery) {
  const response = await fetch(url, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { ok: boolean; duplicate?: true; error?: { code: string } },
  };
}

/** How many times the stream.live handler ran for `id`, in these outputs together. */
function handlerRuns(outputs: string[], id: string): number {
  const line = `went live at 2026-11-27T12:00:00.000Z (cloud, encoder enc_redis) — delivery ${id}\n`;
  return outputs.join('').split(line).length - 1;
}

describe.skipIf(skip)(
  `examples/redis: two server processes share one dedupe in Redis${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const prefix = uniquePrefix('example-redis');
    let redis: Redis;
    let a: ExampleProcess;
    let b: ExampleProcess;
    let urlA: string;
    let urlB: string;
    const outputs = () => [a.output(), b.output()];

    beforeAll(async () => {
      redis = new Redis(REDIS_URL);
      const env = {
        PORT: '0',
        REDIS_URL,
        TRAX_WEBHOOK_SECRET: SECRET,
        TRAX_REDIS_PREFIX: prefix,
        HANDLER_DELAY_MS: String(HANDLER_DELAY_MS),
      };
      a = startExampleProcess(exampleDir, 'server.ts', env);
      b = startExampleProcess(exampleDir, 'server.ts', env);
      const listening = /listening on (\S+)/;
      [urlA, urlB] = await Promise.all([
        a.waitFor(listening).then((m) => m[1]!),
        b.waitFor(listening).then((m) => m[1]!),
      ]);
      await Promise.all([a.waitFor(/redis ready/), b.waitFor(/redis ready/)]);
    }, 40_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await deleteKeys(redis, prefix);
      redis.disconnect();
    });

    it('runs the handlers once when the same delivery reaches both processes at once', async () => {
      const delivery = liveDelivery('st_both');
      const answers = await Promise.all([post(urlA, delivery), post(urlB, delivery)]);

      // One process claimed it and ran the handlers; the other found it in flight in Redis.
      const handled = answers.filter((r) => r.status === 200 && r.body.duplicate === undefined);
      const inFlight = answers.filter((r) => r.status === 409);
      expect(handled).toHaveLength(1);
      expect(inFlight).toHaveLength(1);
      expect(inFlight[0]!.body.error?.code).toBe('DELIVERY_IN_FLIGHT');
      expect(Number(inFlight[0]!.retryAfter)).toBeGreaterThanOrEqual(1);

      // The sender retries, to either process, as often as it likes: already done.
      for (const url of [urlA, urlB, urlB, urlA]) {
        const retry = await post(url, delivery);
        expect(retry.status).toBe(200);
        expect(retry.body).toEqual({ ok: true, duplicate: true });
      }
      expect(handlerRuns(outputs(), delivery.id)).toBe(1);
      const duplicates = outputs()
        .join('')
        .split(`Duplicate delivery acknowledged — delivery ${delivery.id}\n`).length;
      expect(duplicates - 1).toBe(4);
    }, 20_000);

    it('runs the handlers once when the copies arrive one after the other, first at B', async () => {
      const delivery = liveDelivery('st_sequential');
      expect((await post(urlB, delivery)).body).toEqual({ ok: true });
      expect((await post(urlA, delivery)).body).toEqual({ ok: true, duplicate: true });

      // B ran it (so both processes really run handlers; the dedupe is on the delivery id).
      expect(handlerRuns([b.output()], delivery.id)).toBe(1);
      expect(handlerRuns([a.output()], delivery.id)).toBe(0);
    }, 20_000);

    it('keeps the dedupe in Redis under the configured prefix', async () => {
      expect((await keysUnder(redis, prefix)).length).toBeGreaterThanOrEqual(2);
    });

    it('stops cleanly on SIGTERM: drains, quits Redis, exits 0', async () => {
      expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
    }, 15_000);
  },
);

describe.skipIf(skip)(
  `examples/redis: cluster.ts starts several receivers on one dedupe${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const prefix = uniquePrefix('example-redis-cluster');
    let redis: Redis;
    let cluster: ExampleProcess;
    let urls: string[];

    beforeAll(async () => {
      redis = new Redis(REDIS_URL);
      cluster = startExampleProcess(exampleDir, 'cluster.ts', {
        PROCESSES: '2',
        PORT: '0',
        REDIS_URL,
        TRAX_WEBHOOK_SECRET: SECRET,
        TRAX_REDIS_PREFIX: prefix,
        HANDLER_DELAY_MS: '0',
      });
      await cluster.waitFor(/\[cluster\] 2 receivers/, 40_000);
      urls = [...cluster.output().matchAll(/listening on (\S+)/g)].map((m) => m[1]!);
    }, 45_000);

    afterAll(async () => {
      await cluster?.stop();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    });

    it('prints two receivers on two ports; a delivery sent to both runs once', async () => {
      expect(urls).toHaveLength(2);
      expect(new Set(urls).size).toBe(2);
      const delivery = liveDelivery('st_cluster');
      expect((await post(urls[0]!, delivery)).body).toEqual({ ok: true });
      expect((await post(urls[1]!, delivery)).body).toEqual({ ok: true, duplicate: true });
      expect(handlerRuns([cluster.output()], delivery.id)).toBe(1);
    }, 20_000);

    it('stops every receiver on SIGTERM', async () => {
      const pids = [...cluster.output().matchAll(/\[:\d+ pid (\d+)\] listening on/g)].map((m) =>
        Number(m[1]),
      );
      expect(pids).toHaveLength(2);
      expect(await cluster.stop()).toBe(0);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    }, 15_000);
  },
);
