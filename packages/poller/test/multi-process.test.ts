import { type ChildProcess, fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type MockTraxApi, startMockTraxApi } from '@trax-webhooks/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The repo's Redis test environment: REDIS_URL, skip with a message, or fail under TRAX_REQUIRE_REDIS=1.
import {
  deleteKeys,
  REDIS_URL,
  redisSkipReason,
  uniquePrefix,
} from '../../../test-support/redis-test-env.js';

const PROCESS = fileURLToPath(new URL('./fixtures/poller-process.mjs', import.meta.url));
const KEY = 'sk_live_multi_process';
const STUDIOS = ['st_0', 'st_1', 'st_2', 'st_3', 'st_4'];
const INTERVAL_MS = 150;

interface Message {
  type: 'ready' | 'event' | 'error' | 'stopped';
  instance: string;
  eventType?: string;
  studioId?: string;
  liveStartedAt?: string;
  deliveryId?: string;
  source?: string;
  code?: string;
  requests?: number;
}

const skip = await redisSkipReason();

/** A poller child process sharing Redis (under `prefix`) with its siblings. */
async function startPoller(instance: string, env: Record<string, string>, inbox: Message[]) {
  const child = fork(PROCESS, {
    env: { ...process.env, ...env, INSTANCE: instance },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (message) => inbox.push(message as Message));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m) => (m as Message).type === 'ready' && resolve());
    child.once('exit', (code) => reject(new Error(`poller ${instance} exited with ${code}`)));
  });
  return child;
}

async function stopPoller(child: ChildProcess, instance: string, inbox: Message[]) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  await exited;
  return inbox.find((m) => m.type === 'stopped' && m.instance === instance);
}

describe.skipIf(skip)(
  `two poller processes sharing Redis${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let api: MockTraxApi;
    let redis: Redis;
    const prefixes: string[] = [];

    beforeAll(async () => {
      api = await startMockTraxApi({ apiKeys: [KEY], port: 0 });
      redis = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      await api?.close();
      for (const prefix of prefixes) await deleteKeys(redis, prefix);
      redis?.disconnect();
    });

    for (const lease of [true, false]) {
      it(`emit each transition once (${lease ? 'with per-studio leases' : 'no leases: the delivery store dedupes'}), and a restart re-emits nothing`, async () => {
        const prefix = uniquePrefix(`poller-mp-${lease}`);
        prefixes.push(prefix);
        const env = {
          REDIS_URL,
          PREFIX: prefix,
          MOCK_URL: api.url,
          API_KEY: KEY,
          STUDIOS: STUDIOS.join(','),
          INTERVAL_MS: String(INTERVAL_MS),
          LEASE: lease ? '1' : '0',
        };
        for (const id of STUDIOS) api.goOffline(id);
        const inbox: Message[] = [];
        const [a, b] = await Promise.all([
          startPoller('a', env, inbox),
          startPoller('b', env, inbox),
        ]);
        const requestsBefore = api.requests.length;
        const started = Date.now();

        // Every kind of transition, across studios, while both processes poll.
        const expected: string[] = [];
        const live = (id: string, at: string) => {
          const s = api.goLive(id, { liveStartedAt: at });
          expected.push(`stream.live ${id} ${s.liveStartedAt}`);
          return s.liveStartedAt;
        };
        const offline = (id: string, since: string) => {
          api.goOffline(id);
          expected.push(`stream.offline ${id} ${since}`);
        };
        const s0 = live('st_0', '2026-11-27T10:00:00.000Z');
        const s1 = live('st_1', '2026-11-27T10:00:01.000Z');
        const s2 = live('st_2', '2026-11-27T10:00:02.000Z');
        await sleep(900);
        offline('st_0', s0!);
        expected.push(`stream.offline st_1 ${s1}`);
        live('st_1', '2026-11-27T10:30:00.000Z');
        const s3 = live('st_3', '2026-11-27T10:30:03.000Z');
        await sleep(900);
        offline('st_2', s2!);
        live('st_0', '2026-11-27T11:00:00.000Z');
        offline('st_3', s3!);
        await sleep(900);

        const stats = await Promise.all([stopPoller(a, 'a', inbox), stopPoller(b, 'b', inbox)]);
        const elapsed = Date.now() - started;
        const events = inbox.filter((m) => m.type === 'event');
        const seen = events.map((m) => `${m.eventType} ${m.studioId} ${m.liveStartedAt}`);
        expect(seen.sort()).toEqual([...expected].sort());
        expect(events.every((m) => m.source === 'poll')).toBe(true);
        expect(inbox.filter((m) => m.type === 'error')).toEqual([]);

        const requests = api.requests.length - requestsBefore;
        const perInterval = requests / STUDIOS.length / (elapsed / INTERVAL_MS);
        console.info(
          `[multi-process lease=${lease}] ${requests} requests, ${perInterval.toFixed(2)} per studio per interval`,
        );
        // Both processes took part.
        expect(stats.every((s) => (s?.requests ?? 0) > 0)).toBe(true);
        // With leases, between them each studio was polled about once per interval (a lease lasts
        // 90% of it), not once per process per interval.
        if (lease) expect(perInterval).toBeLessThan(1.2);

        // A restarted process finds the state in Redis: nothing is emitted again.
        const restartInbox: Message[] = [];
        const c = await startPoller('c', env, restartInbox);
        await sleep(600);
        await stopPoller(c, 'c', restartInbox);
        expect(restartInbox.filter((m) => m.type === 'event')).toEqual([]);
        expect(restartInbox.filter((m) => m.type === 'error')).toEqual([]);
      }, 20_000);
    }
  },
);
