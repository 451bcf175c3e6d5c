import { randomUUID } from 'node:crypto';
import { createDeliveryQueue, createTraxWorker } from '@trax-webhooks/bullmq';
import { createTraxWebhooks, permanentFailure, signDelivery } from '@trax-webhooks/core';
import { RedisDeliveryStore } from '@trax-webhooks/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { liveEvent } from '../../../test-support/fixtures.js';
import { deleteKeys, REDIS_URL, redisSkipReason } from '../../../test-support/redis-test-env.js';
import { eventually, runCli, SECRET } from './support.js';

const skip = await redisSkipReason('cli queue tests');

describe.skipIf(skip)(`trax-webhooks queue${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const id = randomUUID();
  const prefix = `trax-test-bull:${id}`;
  const clients: Redis[] = [];
  const client = () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    clients.push(redis);
    return redis;
  };
  const queue = createDeliveryQueue({ connection: client(), prefix, backoff: 20, attempts: 2 });
  const receiver = createTraxWebhooks({ secret: SECRET, queue });
  const workerReceiver = createTraxWebhooks({
    secret: SECRET,
    store: new RedisDeliveryStore(client(), { prefix: `trax-test:cli-queue:${id}:` }),
  });
  let broken = true;
  let runs = 0;
  workerReceiver.onStreamLive(() => {
    runs++;
    if (broken) throw permanentFailure(new Error('downstream refused key sk_live_leaked123'));
  });
  const worker = createTraxWorker(workerReceiver, { connection: client(), prefix });
  // A password in the URL: shown nowhere. (The test Redis has none and ignores it.)
  const redisWithPassword = REDIS_URL.replace('redis://', 'redis://:hunter2-pass@');
  const cli = (...args: string[]) =>
    runCli(['queue', ...args, '--prefix', prefix, '--redis', redisWithPassword]);

  afterAll(async () => {
    await worker.close();
    await queue.close();
    const cleaner = new Redis(REDIS_URL);
    await deleteKeys(cleaner, `${prefix}:`);
    await deleteKeys(cleaner, `trax-test:cli-queue:${id}:`);
    await cleaner.quit();
    for (const redis of clients) redis.disconnect();
  });

  it('failed → listed with its error (redacted) → retried through the CLI → completed; then replayed on purpose', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent('st_cli') });
    const answer = await receiver.receive({ headers: signed.headers, rawBody: signed.body });
    expect(answer.status).toBe(202);
    await eventually(() => runs === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const status = await cli('status', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ type: 'counts', failed: 1, waiting: 0 });

    const failed = await cli('failed', '--json');
    expect(failed.code).toBe(0);
    const [dead] = failed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(dead).toMatchObject({
      type: 'failed',
      deliveryId: signed.id,
      eventType: 'stream.live',
      attemptsMade: 1,
    });
    expect(dead.failedReason).toMatch(/downstream refused key sk_live_\*\*\*/);

    broken = false;
    const retried = await cli('retry', dead.jobId);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(`Moved job ${dead.jobId} back to waiting.`);
    await eventually(() => runs === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(JSON.parse((await cli('status', '--json')).stdout)).toMatchObject({
      completed: 1,
      failed: 0,
    });

    // The store says done; a replay runs the handlers anyway, and says so.
    const replayed = await cli('replay', signed.id);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(/run again even though the delivery store says it is done/);
    await eventually(() => runs === 3);

    for (const output of [status, failed, retried, replayed]) {
      expect(output.stdout + output.stderr).not.toContain('hunter2-pass');
      expect(output.stdout + output.stderr).not.toContain('sk_live_leaked123');
    }
  }, 30_000);

  it('says there is nothing to retry or replay (exit 1), and refuses a bad command line (exit 2)', async () => {
    expect((await cli('retry', 'no-such-job')).code).toBe(1);
    expect((await cli('replay', 'msg_unknown')).code).toBe(1);
    const bad = await cli('retry');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/retry needs a job id, or --all/);
  });

  it('redacts the password of an unreachable Redis too', async () => {
    const down = await runCli([
      'queue',
      'status',
      '--redis',
      'redis://admin:s3cret-pw@127.0.0.1:1',
    ]);
    expect(down.code).toBe(1);
    expect(down.stdout + down.stderr).toMatch(
      /Cannot reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1/,
    );
    expect(down.stdout + down.stderr).not.toContain('s3cret-pw');
  });
});
