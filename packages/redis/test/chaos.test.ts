import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  deleteKeys,
  REDIS_URL,
  redisServerSkipReason,
  redisSkipReason,
  uniquePrefix,
} from '../../../test-support/redis-test-env.js';
import { type ChaosOptions, type ChaosResult, notExactlyOnce, runChaos } from './chaos-harness.js';
import { unusedPort } from './fault-proxy.js';
import { RedisServerProcess } from './redis-server-process.js';

const skipShared = await redisSkipReason();
const skipOwn = redisServerSkipReason();

const base: Omit<ChaosOptions, 'redisUrl' | 'prefix'> = {
  events: 2_000,
  copyRate: 0.3,
  failRate: 0.2,
  receivers: 3,
  // Long enough for a completion to outlive a Redis restart (a few seconds), short enough that a
  // claim orphaned by the crash frees itself within the test.
  leaseMs: 10_000,
  commandTimeoutMs: 500,
  deadlineMs: 45_000,
};

function report(name: string, result: ChaosResult) {
  const { answers, duplicates, receiverErrors } = result;
  console.info(
    `[chaos] ${name}: answers ${JSON.stringify(answers)}, duplicates ${duplicates}, receiver errors ${JSON.stringify(receiverErrors)}`,
  );
}

describe('chaos across processes: every event takes effect exactly once, none is lost', () => {
  it.skipIf(skipShared)(
    `3 receiver processes share one Redis; 30% concurrent copies; 20% handler failures${skipShared ? ` (skipped: ${skipShared})` : ''}`,
    async () => {
      const prefix = uniquePrefix('chaos');
      try {
        const result = await runChaos({ ...base, redisUrl: REDIS_URL, prefix });
        report('shared Redis', result);
        expect(result.unacknowledged).toEqual([]);
        expect(notExactlyOnce(result)).toEqual({ lost: [], repeated: [], unknown: [] });
        // The chaos really happened.
        expect(result.answers[500]).toBeGreaterThan(100);
        expect(result.answers[409] ?? 0).toBeGreaterThan(0);
        expect(result.duplicates).toBeGreaterThan(0);
      } finally {
        const redis = new Redis(REDIS_URL);
        await deleteKeys(redis, prefix);
        await redis.quit();
      }
    },
    60_000,
  );

  it.skipIf(skipOwn)(
    `the same with the Redis killed (SIGKILL) and restarted mid-run, from its append-only file${skipOwn ? ` (skipped: ${skipOwn})` : ''}`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trax-redis-aof-'));
      const server = new RedisServerProcess(await unusedPort(), dir);
      await server.start();
      let restart: Promise<void> | undefined;
      let killedAt = -1;
      try {
        const result = await runChaos({
          ...base,
          redisUrl: server.url,
          prefix: uniquePrefix('chaos-restart'),
          onProgress(acknowledged) {
            if (restart || acknowledged < base.events / 3) return;
            killedAt = acknowledged;
            restart = (async () => {
              await server.kill();
              await sleep(2_500);
              await server.start();
            })();
          },
        });
        await restart;
        report(`Redis killed after ${killedAt} events`, result);
        expect(killedAt).toBeGreaterThan(0);
        expect(killedAt).toBeLessThan(base.events);
        expect(result.unacknowledged).toEqual([]);
        expect(notExactlyOnce(result)).toEqual({ lost: [], repeated: [], unknown: [] });
        // Redis really was away: receivers answered 503 meanwhile.
        expect(result.answers[503]).toBeGreaterThan(0);
        expect(result.answers[500]).toBeGreaterThan(100);
      } finally {
        await restart?.catch(() => {});
        await server.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
