import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisServerSkipReason } from '../../../test-support/redis-test-env.js';
import { unusedPort } from '../../redis/test/fault-proxy.js';
import { RedisServerProcess } from '../../redis/test/redis-server-process.js';
import { openDeliveryQueueAdmin } from '../src/index.js';
import { inProgress, readRuns, sendAll, startChild, stopChild } from './chaos-harness.js';

const skip = redisServerSkipReason('bullmq chaos test');

const EVENTS = 2_000;
const settings = {
  FAIL_RATE: '0.2',
  // 0.2^30: no delivery runs out of attempts by chance.
  ATTEMPTS: '30',
  // A store lease well past the slowest handler (200 ms); BullMQ's lock past the Redis outage.
  LEASE_MS: '4000',
  LOCK_MS: '5000',
};

describe('chaos across processes: one receiver, three workers, a worker SIGKILLed, Redis killed and restarted', () => {
  it.skipIf(skip)(
    `${EVENTS} events, 30 % concurrent copies, 20 % handler failures: every event takes effect, none is lost, none is failed${skip ? ` (skipped: ${skip})` : ''}`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trax-bullmq-chaos-'));
      const server = new RedisServerProcess(await unusedPort(), dir);
      await server.start();
      const prefix = 'chaos';
      const env = { ...settings, REDIS_URL: server.url, PREFIX: prefix };
      const runsFile = (n: number) => join(dir, `runs-${n}.log`);
      const workers: ChildProcess[] = [];
      let receiver: ChildProcess | undefined;
      let faults: Promise<void> | undefined;
      const admin = openDeliveryQueueAdmin({
        connection: new Redis(server.url, { maxRetriesPerRequest: null }),
        prefix,
      });
      try {
        const started = await startChild('chaos-receiver.mjs', env);
        receiver = started.child;
        for (let n = 0; n < 3; n++) {
          workers.push(
            (await startChild('chaos-worker.mjs', { ...env, RUNS_FILE: runsFile(n) })).child,
          );
        }
        let killedWorkerMidRun = new Set<string>();
        let workerKilledAt = -1;
        let redisKilledAt = -1;
        const sent = await sendAll({
          url: `http://127.0.0.1:${started.port}/`,
          events: EVENTS,
          copyRate: 0.3,
          concurrency: 48,
          deadlineMs: 60_000,
          onProgress(acknowledged) {
            // Kill it while it is mid-handler: that is what the stalled-job takeover is for.
            if (
              workerKilledAt < 0 &&
              acknowledged >= EVENTS / 4 &&
              inProgress(runsFile(0)).size > 0
            ) {
              workerKilledAt = acknowledged;
              workers[0]!.kill('SIGKILL');
              faults = (async () => {
                await new Promise((resolve) => workers[0]!.once('exit', resolve));
                killedWorkerMidRun = inProgress(runsFile(0));
                workers.push(
                  (await startChild('chaos-worker.mjs', { ...env, RUNS_FILE: runsFile(3) })).child,
                );
              })();
            }
            if (redisKilledAt < 0 && acknowledged >= EVENTS / 2) {
              redisKilledAt = acknowledged;
              const after = faults;
              faults = (async () => {
                await after;
                await server.kill();
                await sleep(1_500);
                await server.start();
              })();
            }
          },
        });
        await faults;
        expect(sent.unacknowledged).toEqual([]);

        // Every event takes effect; wait for the workers to empty the queue.
        const effects = new Map<string, number>();
        const countEffects = () => {
          effects.clear();
          for (let n = 0; n < 4; n++) {
            for (const id of readRuns(runsFile(n)).effect)
              effects.set(id, (effects.get(id) ?? 0) + 1);
          }
        };
        const until = Date.now() + 45_000;
        let counts = await admin.counts();
        for (;;) {
          countEffects();
          counts = await admin.counts();
          const open = counts.waiting + counts.active + counts.delayed;
          if ((open === 0 && effects.size >= EVENTS) || Date.now() > until) break;
          await sleep(200);
        }
        const reports = [];
        for (const child of workers.slice(1)) reports.push(await stopChild(child));
        const receiverReport = await stopChild(receiver);
        const extra = [...effects].filter(([, n]) => n > 1).map(([id]) => id);
        const runs = [0, 1, 2, 3].reduce((sum, n) => sum + readRuns(runsFile(n)).start.length, 0);
        console.info(
          `[queue chaos] answers ${JSON.stringify(sent.answers)}, duplicates answered ${sent.duplicates}, ` +
            `handler runs ${runs} for ${EVENTS} events; extra handler runs: ${killedWorkerMidRun.size} ` +
            `re-runs of deliveries the killed worker was mid-handler on, ${extra.length} effects repeated; ` +
            `worker killed after ${workerKilledAt}, ` +
            `Redis killed after ${redisKilledAt}, final counts ${JSON.stringify(counts)}, ` +
            `receiver ${JSON.stringify(receiverReport)}, workers ${JSON.stringify(reports)}`,
        );

        const lost = sent.ids.filter((id) => !effects.has(id));
        expect(lost).toEqual([]);
        expect(effects.size).toBe(EVENTS);
        expect(counts.failed).toBe(0);
        expect(counts.waiting + counts.active + counts.delayed).toBe(0);
        // An effect twice only where the killed worker was mid-handler.
        expect(extra.filter((id) => !killedWorkerMidRun.has(id))).toEqual([]);
        // The chaos really happened.
        expect(workerKilledAt).toBeGreaterThan(0);
        expect(killedWorkerMidRun.size).toBeGreaterThan(0);
        expect(redisKilledAt).toBeGreaterThan(workerKilledAt);
        expect(sent.answers[503] ?? 0).toBeGreaterThan(0);
        expect(sent.duplicates).toBeGreaterThan(0);
        expect(runs).toBeGreaterThan(EVENTS * 1.15);
      } finally {
        await faults?.catch(() => {});
        for (const child of workers) child.kill('SIGKILL');
        receiver?.kill('SIGKILL');
        await admin.close().catch(() => {});
        await server.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
