import { permanentFailure } from '@trax-webhooks/core';
import { afterEach, describe, expect, it } from 'vitest';
import { redisSkipReason } from '../../../test-support/redis-test-env.js';
import { eventually, queueWorld, signedRequest } from './harness.js';

const skip = await redisSkipReason('bullmq tests');

/** Resolves the job's state once it is `state`. */
async function jobIn(world: ReturnType<typeof queueWorld>, state: string, queue = world.queue()) {
  return eventually(async () => {
    const jobs = await queue.queue.getJobs([state as 'waiting']);
    return jobs.length > 0 ? jobs : undefined;
  });
}

describe.skipIf(skip)(
  `a duplicate in every job state, on the real Redis${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let world: ReturnType<typeof queueWorld>;
    afterEach(async () => {
      await world.close();
    });

    it('waiting: the first add answers 202 queued, a copy 200 duplicate, and one job exists', async () => {
      world = queueWorld();
      const { webhooks, queue } = world.receiver();
      const request = signedRequest();
      const first = await webhooks.receive(request);
      expect(first.status).toBe(202);
      expect(JSON.parse(first.body)).toEqual({ ok: true, queued: true });
      const copy = await webhooks.receive(request);
      expect(copy.status).toBe(200);
      expect(JSON.parse(copy.body)).toEqual({ ok: true, duplicate: true });
      expect(await queue.queue.getJobCounts('waiting', 'delayed', 'active')).toEqual({
        waiting: 1,
        delayed: 0,
        active: 0,
      });
      const [job] = await queue.queue.getWaiting();
      expect(job?.data).toMatchObject({
        key: request.id,
        deliveryId: request.id,
        source: 'webhook',
      });
      // Nothing secret crosses the queue: no header, no signature, no raw body.
      expect(JSON.stringify(job?.data)).not.toMatch(/webhook-signature|v1,/);
    });

    it('active: a copy while a worker runs the handlers is a duplicate, and the handlers run once', async () => {
      world = queueWorld();
      const { webhooks } = world.receiver();
      const worker = world.workerReceiver();
      let runs = 0;
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      worker.webhooks.onStreamLive(async () => {
        runs++;
        await finished;
      });
      const w = world.worker(worker.webhooks);
      const request = signedRequest();
      expect((await webhooks.receive(request)).status).toBe(202);
      await eventually(() => runs === 1);
      expect(await w.worker.isRunning()).toBe(true);
      const copy = await webhooks.receive(request);
      expect([copy.status, JSON.parse(copy.body)]).toEqual([200, { ok: true, duplicate: true }]);
      finish();
      const queue = world.queue();
      const [job] = await jobIn(world, 'completed', queue);
      expect(job?.returnvalue).toBe('handled');
      expect(runs).toBe(1);
    });

    it('delayed (a retry waiting for its backoff): a copy is a duplicate; the retry then succeeds once', async () => {
      world = queueWorld();
      const { webhooks } = world.receiver({}, { backoff: 60_000 });
      const worker = world.workerReceiver();
      const attempts: Array<number | undefined> = [];
      let effects = 0;
      worker.webhooks.onStreamLive((_event, ctx) => {
        attempts.push(ctx.attempt);
        if (attempts.length === 1) throw new Error('first run fails');
        effects++;
      });
      world.worker(worker.webhooks);
      const request = signedRequest(undefined, undefined, 3);
      expect((await webhooks.receive(request)).status).toBe(202);
      const queue = world.queue();
      const [delayed] = await jobIn(world, 'delayed', queue);
      const copy = await webhooks.receive(request);
      expect([copy.status, JSON.parse(copy.body)]).toEqual([200, { ok: true, duplicate: true }]);
      await delayed!.promote();
      const [done] = await jobIn(world, 'completed', queue);
      expect(done?.returnvalue).toBe('handled');
      // The handler's attempts count the job's runs; the sender's attempt (3) rides along.
      expect(attempts).toEqual([1, 2]);
      expect(effects).toBe(1);
    });

    it('completed: a copy is a duplicate and adds no job', async () => {
      world = queueWorld();
      const { webhooks, queue } = world.receiver();
      const worker = world.workerReceiver();
      let runs = 0;
      worker.webhooks.onStreamLive(() => {
        runs++;
      });
      world.worker(worker.webhooks);
      const request = signedRequest();
      expect((await webhooks.receive(request)).status).toBe(202);
      await jobIn(world, 'completed', queue);
      const copy = await webhooks.receive(request);
      expect([copy.status, JSON.parse(copy.body)]).toEqual([200, { ok: true, duplicate: true }]);
      expect(await queue.queue.getJobCounts('waiting', 'completed')).toEqual({
        waiting: 0,
        completed: 1,
      });
      expect(runs).toBe(1);
    });

    it('failed (a dead letter): a copy is a duplicate; the job stays failed with its error', async () => {
      world = queueWorld();
      const { webhooks, queue } = world.receiver();
      const worker = world.workerReceiver();
      let runs = 0;
      worker.webhooks.onStreamLive(() => {
        runs++;
        throw permanentFailure(new Error('studio deleted'));
      });
      world.worker(worker.webhooks);
      const request = signedRequest();
      expect((await webhooks.receive(request)).status).toBe(202);
      const [failed] = await jobIn(world, 'failed', queue);
      expect(failed?.failedReason).toMatch(/failed permanently.*studio deleted/);
      const copy = await webhooks.receive(request);
      expect([copy.status, JSON.parse(copy.body)]).toEqual([200, { ok: true, duplicate: true }]);
      expect(await queue.queue.getJobCounts('waiting', 'failed')).toEqual({
        waiting: 0,
        failed: 1,
      });
      expect(runs).toBe(1);
    });

    it('removed automatically (removeOnComplete): the dedupe key outlives the job, a copy is still a duplicate', async () => {
      world = queueWorld();
      const { webhooks, queue } = world.receiver({}, { removeOnComplete: true });
      const worker = world.workerReceiver();
      let runs = 0;
      worker.webhooks.onStreamLive(() => {
        runs++;
      });
      const w = world.worker(worker.webhooks);
      const outcomes: string[] = [];
      w.worker.on('completed', (_job, outcome) => outcomes.push(outcome));
      const request = signedRequest();
      expect((await webhooks.receive(request)).status).toBe(202);
      await eventually(() => outcomes.length === 1);
      expect(await queue.queue.getJobCounts('completed')).toEqual({ completed: 0 });
      const copy = await webhooks.receive(request);
      expect([copy.status, JSON.parse(copy.body)]).toEqual([200, { ok: true, duplicate: true }]);
      expect(await queue.queue.getWaitingCount()).toBe(0);
      expect(runs).toBe(1);
    });

    it('removed by hand (job.remove()): the dedupe key goes with it, a copy is queued again, and the worker finds it done in the store', async () => {
      world = queueWorld();
      const { webhooks, queue } = world.receiver();
      const worker = world.workerReceiver();
      let runs = 0;
      worker.webhooks.onStreamLive(() => {
        runs++;
      });
      const w = world.worker(worker.webhooks);
      const outcomes: string[] = [];
      w.worker.on('completed', (_job, outcome) => outcomes.push(outcome));
      const request = signedRequest();
      expect((await webhooks.receive(request)).status).toBe(202);
      await eventually(() => outcomes.length === 1);
      const [job] = await queue.queue.getCompleted();
      await job!.remove();
      const copy = await webhooks.receive(request);
      expect([copy.status, JSON.parse(copy.body)]).toEqual([202, { ok: true, queued: true }]);
      await eventually(() => outcomes.length === 2);
      expect(outcomes).toEqual(['handled', 'duplicate']);
      expect(runs).toBe(1);
    });

    it('after the dedupe TTL: a copy is queued again and the worker finds it done in the store', async () => {
      world = queueWorld();
      const { webhooks } = world.receiver({}, { dedupeTtlMs: 300 });
      const worker = world.workerReceiver();
      let runs = 0;
      worker.webhooks.onStreamLive(() => {
        runs++;
      });
      const w = world.worker(worker.webhooks);
      const outcomes: string[] = [];
      w.worker.on('completed', (_job, outcome) => outcomes.push(outcome));
      const request = signedRequest();
      expect((await webhooks.receive(request)).status).toBe(202);
      await eventually(() => outcomes.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await webhooks.receive(request)).status).toBe(202);
      await eventually(() => outcomes.length === 2);
      expect(outcomes).toEqual(['handled', 'duplicate']);
      expect(runs).toBe(1);
    });

    it('concurrent copies through three receivers: exactly one add per delivery answers 202', async () => {
      world = queueWorld();
      const receivers = [world.receiver(), world.receiver(), world.receiver()];
      const requests = Array.from({ length: 30 }, () => signedRequest());
      const answers = await Promise.all(
        requests.flatMap((request) =>
          Array.from({ length: 6 }, (_, i) =>
            receivers[i % 3]!.webhooks.receive(request).then((answer) => ({
              id: request.id,
              status: answer.status,
            })),
          ),
        ),
      );
      for (const request of requests) {
        const statuses = answers.filter((a) => a.id === request.id).map((a) => a.status);
        expect(statuses.sort()).toEqual([200, 200, 200, 200, 200, 202]);
      }
      expect(await receivers[0]!.queue.queue.getWaitingCount()).toBe(30);
    });
  },
);
