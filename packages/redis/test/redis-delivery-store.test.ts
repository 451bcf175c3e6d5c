import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  RedisCommandTimeoutError,
  RedisDeliveryStore,
  type RedisDeliveryStoreOptions,
  recommendedRedisOptions,
} from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteKeys,
  REDIS_URL,
  redisServerSkipReason,
  redisSkipReason,
  uniquePrefix,
} from '../../../test-support/redis-test-env.js';
import { type FaultProxy, startFaultProxy, startSilentServer, unusedPort } from './fault-proxy.js';
import { ioredisVersions } from './ioredis-versions.js';
import { RedisServerProcess } from './redis-server-process.js';

const skip = await redisSkipReason();
const skipOwn = redisServerSkipReason();
const prefix = uniquePrefix('store');
const key = () => `msg_${randomUUID()}`;
const token = () => randomUUID();

describe('RedisDeliveryStore options', () => {
  const client = new Redis({ lazyConnect: true });
  afterAll(() => client.disconnect());

  it('throws a TypeError naming the bad option', () => {
    expect(() => new RedisDeliveryStore({} as never)).toThrow(/redis must be an ioredis client/);
    expect(() => new RedisDeliveryStore(client, { leaseMs: 0 })).toThrow(/leaseMs option/);
    expect(() => new RedisDeliveryStore(client, { leaseMs: 1.5 })).toThrow(/leaseMs option/);
    expect(() => new RedisDeliveryStore(client, { ttlMs: -1 })).toThrow(/ttlMs option/);
    expect(() => new RedisDeliveryStore(client, { commandTimeoutMs: Number.NaN })).toThrow(
      /commandTimeoutMs option/,
    );
    expect(() => new RedisDeliveryStore(client, { settleRetryMs: -1 })).toThrow(
      /settleRetryMs option/,
    );
    expect(() => new RedisDeliveryStore(client, { prefix: 'app:{x}:' })).toThrow(/prefix option/);
    expect(() => new RedisDeliveryStore(client, { prefix: 1 as never })).toThrow(TypeError);
  });

  it('defines its scripts once on a client shared by several stores', () => {
    new RedisDeliveryStore(client);
    const claim = (client as unknown as Record<string, unknown>).traxWebhooksClaimV2;
    expect(typeof claim).toBe('function');
    new RedisDeliveryStore(client, { prefix: 'other:' });
    expect((client as unknown as Record<string, unknown>).traxWebhooksClaimV2).toBe(claim);
  });
});

// The fault suites, once per supported ioredis major.
describe.each(ioredisVersions)('with $name', ({ Redis: Client }) => {
  describe.skipIf(skip)(
    `RedisDeliveryStore on a real Redis${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let redis: Redis;
      let proxy: FaultProxy;
      const clients: Redis[] = [];
      /** A client through the fault proxy, with the recommended options. */
      const proxied = () => {
        const client = new Client(proxy.url, recommendedRedisOptions);
        client.on('error', () => {});
        clients.push(client);
        return client;
      };
      /** A store on a proxied client (with the test prefix) holding a fresh claim, ready for a fault. */
      const claimedThroughProxy = async (options: RedisDeliveryStoreOptions = {}) => {
        const client = proxied();
        // Connected and ready first: the setup claim must not race a short commandTimeoutMs
        // against the connection handshake on a loaded machine (the fault comes after it).
        await client.ping();
        const store = new RedisDeliveryStore(client, { prefix, ...options });
        const [k, t] = [key(), token()];
        await store.claim(k, t);
        return { store, k, t };
      };

      beforeAll(async () => {
        redis = new Client(REDIS_URL, recommendedRedisOptions);
        proxy = await startFaultProxy(REDIS_URL);
      });
      afterEach(() => proxy.resume());
      afterAll(async () => {
        for (const client of clients) client.disconnect();
        await proxy.close();
        await deleteKeys(redis, prefix);
        await redis.quit();
      });

      it('keeps one key per delivery, hash-tagged so Cluster puts it in one slot, and expiring', async () => {
        const store = new RedisDeliveryStore(redis, { prefix, leaseMs: 5_000, ttlMs: 60_000 });
        const [k, t] = [key(), token()];
        const [seconds, micros] = await redis.time();
        const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
        await store.claim(k, t);
        // The lease end, on Redis' clock, is in the value; the record outlives it by the TTL so
        // a late completion can still be recorded.
        const claimed = await redis.get(`${prefix}{${k}}`);
        const [, leaseEnd, holder] = /^p:(\d+):(.+)$/.exec(claimed ?? '') ?? [];
        expect(holder).toBe(t);
        expect(Number(leaseEnd) - redisNow).toBeGreaterThanOrEqual(5_000);
        expect(Number(leaseEnd) - redisNow).toBeLessThan(6_000);
        const kept = await redis.pttl(`${prefix}{${k}}`);
        expect(kept).toBeGreaterThan(64_000);
        expect(kept).toBeLessThanOrEqual(65_000);
        await store.complete(k, t);
        // Done is all later claims need to know: no token kept for the TTL's days.
        expect(await redis.get(`${prefix}{${k}}`)).toBe('d:');
        const done = await redis.pttl(`${prefix}{${k}}`);
        expect(done).toBeGreaterThan(50_000);
        expect(done).toBeLessThanOrEqual(60_000);
      });

      it('reads a done record written by an earlier release (d:<token>) as done', async () => {
        const store = new RedisDeliveryStore(redis, { prefix });
        const [k, t] = [key(), token()];
        await redis.set(`${prefix}{${k}}`, `d:${t}`, 'PX', 60_000);
        await expect(store.claim(k, token())).resolves.toEqual({ status: 'duplicate' });
        await expect(store.complete(k, t)).resolves.toBe(true);
        expect(await redis.get(`${prefix}{${k}}`)).toBe(`d:${t}`);
      });

      it('waits out a claim record of another version (an older release on the same Redis) by its expiry', async () => {
        const store = new RedisDeliveryStore(redis, { prefix });
        const k = key();
        await redis.set(`${prefix}{${k}}`, `p:${token()}`, 'PX', 2_000);
        const result = await store.claim(k, token());
        expect(result.status).toBe('in-flight');
        if (result.status !== 'in-flight') return;
        expect(result.retryAfterMs).toBeGreaterThan(1_000);
        expect(result.retryAfterMs).toBeLessThanOrEqual(2_000);
      });

      it('answers in-flight with the lease left, read from Redis', async () => {
        const store = new RedisDeliveryStore(redis, { prefix, leaseMs: 5_000 });
        const k = key();
        await store.claim(k, token());
        await sleep(200);
        const result = await store.claim(k, token());
        expect(result.status).toBe('in-flight');
        if (result.status !== 'in-flight') return;
        expect(result.retryAfterMs).toBeLessThanOrEqual(4_850);
        expect(result.retryAfterMs).toBeGreaterThan(3_000);
      });

      it('two stores on two clients share deliveries (as two processes do)', async () => {
        const a = new RedisDeliveryStore(redis, { prefix });
        const b = new RedisDeliveryStore(proxied(), { prefix });
        const [k, t] = [key(), token()];
        await expect(a.claim(k, t)).resolves.toEqual({ status: 'claimed' });
        expect((await b.claim(k, token())).status).toBe('in-flight');
        await a.complete(k, t);
        await expect(b.claim(k, token())).resolves.toEqual({ status: 'duplicate' });
      });

      describe('when Redis stalls or is away, no call hangs', () => {
        it('rejects a claim after commandTimeoutMs when Redis stops answering', async () => {
          const client = proxied();
          const store = new RedisDeliveryStore(client, { prefix, commandTimeoutMs: 300 });
          await client.ping();
          proxy.stall();
          const started = performance.now();
          await expect(store.claim(key(), token())).rejects.toBeInstanceOf(
            RedisCommandTimeoutError,
          );
          expect(performance.now() - started).toBeLessThan(1_000);
        });

        it('frees a claim that lands after it timed out, so the retry is not held for a whole lease', async () => {
          const client = proxied();
          const store = new RedisDeliveryStore(client, {
            prefix,
            commandTimeoutMs: 200,
            leaseMs: 60_000,
          });
          await client.ping();
          const k = key();
          proxy.stall();
          await expect(store.claim(k, token())).rejects.toBeInstanceOf(RedisCommandTimeoutError);
          proxy.resume();
          await client.ping(); // queued after the late claim and its release
          expect(await redis.exists(`${prefix}{${k}}`)).toBe(0);
          await expect(store.claim(k, token())).resolves.toEqual({ status: 'claimed' });
        });

        it('rejects a claim after commandTimeoutMs when the server accepts connections and never answers', async () => {
          const silent = await startSilentServer();
          const client = new Client(silent.url, recommendedRedisOptions);
          client.on('error', () => {});
          const store = new RedisDeliveryStore(client, { prefix, commandTimeoutMs: 300 });
          const started = performance.now();
          await expect(store.claim(key(), token())).rejects.toThrow();
          expect(performance.now() - started).toBeLessThan(1_000);
          client.disconnect();
          await silent.close();
        });

        it('rejects a claim quickly when nothing listens on the port', async () => {
          const client = new Client(
            `redis://127.0.0.1:${await unusedPort()}`,
            recommendedRedisOptions,
          );
          client.on('error', () => {});
          const store = new RedisDeliveryStore(client, { prefix, commandTimeoutMs: 300 });
          const started = performance.now();
          await expect(store.claim(key(), token())).rejects.toThrow();
          expect(performance.now() - started).toBeLessThan(1_000);
          client.disconnect();
        });
      });

      describe('complete and release are retried, for settleRetryMs', () => {
        it('completes once Redis answers again, so the next copy is a duplicate', async () => {
          const { store, k, t } = await claimedThroughProxy({
            commandTimeoutMs: 150,
            leaseMs: 10_000,
          });
          proxy.stall();
          setTimeout(() => proxy.resume(), 700); // several timed-out attempts first
          await expect(store.complete(k, t)).resolves.toBe(true);
          await expect(store.claim(k, token())).resolves.toEqual({ status: 'duplicate' });
        });

        it('keeps retrying a completion past the lease, and records it when no one took over', async () => {
          const { store, k, t } = await claimedThroughProxy({
            commandTimeoutMs: 150,
            leaseMs: 400,
            settleRetryMs: 5_000,
          });
          proxy.stall();
          setTimeout(() => proxy.resume(), 1_200); // Redis is away for three leases
          await expect(store.complete(k, t)).resolves.toBe(true);
          await expect(store.claim(k, token())).resolves.toEqual({ status: 'duplicate' });
        });

        it('releases once Redis answers again, so the retry can claim at once', async () => {
          const { store, k, t } = await claimedThroughProxy({
            commandTimeoutMs: 150,
            leaseMs: 10_000,
          });
          proxy.stall();
          setTimeout(() => proxy.resume(), 500);
          await store.release(k, t);
          await expect(store.claim(k, token())).resolves.toEqual({ status: 'claimed' });
        });

        it('gives up a completion after settleRetryMs', async () => {
          const { store, k, t } = await claimedThroughProxy({
            commandTimeoutMs: 100,
            leaseMs: 200,
            settleRetryMs: 600,
          });
          proxy.stall();
          const started = performance.now();
          await expect(store.complete(k, t)).rejects.toThrow(
            /did not record complete after \d+ attempt\(s\) within settleRetryMs \(600 ms\)/,
          );
          const elapsed = performance.now() - started;
          // settleRetryMs (well past the 200 ms lease), plus one last attempt's timeout, plus slack.
          expect(elapsed).toBeGreaterThan(500);
          expect(elapsed).toBeLessThan(600 + 100 + 400);
        });

        it('gives up a release when the lease ends, since the next copy may claim it from then on', async () => {
          const { store, k, t } = await claimedThroughProxy({
            commandTimeoutMs: 100,
            leaseMs: 600,
            settleRetryMs: 10_000,
          });
          proxy.stall();
          const started = performance.now();
          await expect(store.release(k, t)).rejects.toThrow(
            /did not record release after \d+ attempt\(s\) within the lease/,
          );
          const elapsed = performance.now() - started;
          // The lease, plus one last attempt's timeout, plus slack for a loaded machine.
          expect(elapsed).toBeLessThan(600 + 100 + 400);
          expect(elapsed).toBeGreaterThan(300);
        });

        it('stops retrying after settleRetryMs when that is shorter than the lease', async () => {
          const { store, k, t } = await claimedThroughProxy({
            commandTimeoutMs: 100,
            leaseMs: 30_000,
            settleRetryMs: 0,
          });
          proxy.stall();
          const started = performance.now();
          await expect(store.release(k, t)).rejects.toThrow(
            /after 1 attempt\(s\) within settleRetryMs \(0 ms\)/,
          );
          expect(performance.now() - started).toBeLessThan(600);
        });
      });

      describe('a command resent after a reconnect (its reply was lost) has the same effect', () => {
        it('claim', async () => {
          const client = proxied();
          const store = new RedisDeliveryStore(client, { prefix });
          await client.ping();
          const [k, t] = [key(), token()];
          proxy.dropNextReply();
          await expect(store.claim(k, t)).resolves.toEqual({ status: 'claimed' });
          expect(await redis.get(`${prefix}{${k}}`)).toMatch(new RegExp(`^p:\\d+:${t}$`));
        });

        it('complete', async () => {
          const { store, k, t } = await claimedThroughProxy();
          proxy.dropNextReply();
          await expect(store.complete(k, t)).resolves.toBe(true);
          await expect(store.claim(k, token())).resolves.toEqual({ status: 'duplicate' });
        });

        it('release', async () => {
          const { store, k, t } = await claimedThroughProxy();
          proxy.dropNextReply();
          await store.release(k, t);
          await expect(store.claim(k, token())).resolves.toEqual({ status: 'claimed' });
        });
      });
    },
  );
});

// The store sends its scripts by EVALSHA; a Redis that lost them (a restart, SCRIPT FLUSH, a new
// Cluster node) answers NOSCRIPT, and the store must load them again rather than fail. On a Redis
// of the test's own: flushing the shared one's scripts would disturb everyone else.
describe.skipIf(skipOwn)(
  `RedisDeliveryStore on a Redis that forgot its scripts${skipOwn ? ` (skipped: ${skipOwn})` : ''}`,
  () => {
    it.each(ioredisVersions)(
      'loads each script again and runs it once, with $name',
      async ({ Redis: Client }) => {
        const dir = mkdtempSync(join(tmpdir(), 'trax-redis-noscript-'));
        const server = new RedisServerProcess(await unusedPort(), dir);
        await server.start();
        const client = new Client(server.url, recommendedRedisOptions);
        try {
          const store = new RedisDeliveryStore(client, { prefix });
          const [k, t] = [key(), token()];
          await client.script('FLUSH');
          await expect(store.claim(k, t)).resolves.toEqual({ status: 'claimed' });
          await client.script('FLUSH');
          await expect(store.complete(k, t)).resolves.toBe(true);
          await client.script('FLUSH');
          await expect(store.claim(k, token())).resolves.toEqual({ status: 'duplicate' });
          const [k2, t2] = [key(), token()];
          await expect(store.claim(k2, t2)).resolves.toEqual({ status: 'claimed' });
          await client.script('FLUSH');
          await expect(store.release(k2, t2)).resolves.toBe(true);
          await expect(store.claim(k2, token())).resolves.toEqual({ status: 'claimed' });
        } finally {
          client.disconnect();
          await server.kill();
          rmSync(dir, { recursive: true, force: true });
        }
      },
      30_000,
    );
  },
);
