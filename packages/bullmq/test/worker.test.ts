import { createTraxWebhooks, permanentFailure } from '@trax-webhooks/core';
import { afterEach, describe, expect, it } from 'vitest';
import { redisSkipReason } from '../../../test-support/redis-test-env.js';
import { createTraxWorker } from '../src/index.js';
import { eventually, liveEvent, queueWorld, SECRET, signedRequest } from './harness.js';

const skip = await redisSkipReason('bullmq tests');

describe.skipIf(skip)(
  `createTraxWorker on the real Redis${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let world: ReturnType<typeof queueWorld>;
    afterEach(async () => {
      await world.close();
    });

    it('runs the receiver handlers with ctx.source, ctx.deliveryId, the handler attempt and the sender attempt', async () => {
      world = queueWorld();
      const { webhooks } = world.receiver();
      const worker = world.workerReceiver();
      const seen: unknown[] = [];
      worker.webhooks.onStreamLive((event, ctx) => {
        seen.push({ studioId: event.data.studioId, ...ctx, receivedAt: typeof ctx.receivedAt });
      });
      world.worker(worker.webhooks);
      const request = signedRequest(undefined, liveEvent('st_9'), 4);
      expect((await webhooks.receive(request)).status).toBe(202);
      await eventually(() => seen.length === 1);
      expect(seen).toEqual([
        {
          studioId: 'st_9',
          deliveryId: request.id,
          source: 'webhook',
          attempt: 1,
          senderAttempt: 4,
          receivedAt: 'object',
        },
      ]);
    });

    it('permanentFailure() fails the job at once: in the failed set with its error, no retry', async () => {
      world = queueWorld();
      const { webhooks, queue } = world.receiver({}, { attempts: 5 });
      const worker = world.workerReceiver();
      let runs = 0;
      worker.webhooks.onStreamLive(() => {
        runs++;
        throw permanentFailure(new Error('unknown studio'));
      });
      world.worker(worker.webhooks);
      expect((await webhooks.receive(signedRequest())).status).toBe(202);
      const [job] = await eventually(async () => {
        const failed = await queue.queue.getFailed();
        return failed.length ? failed : undefined;
      });
      expect(job!.attemptsMade).toBe(1);
      expect(job!.failedReason).toMatch(/HANDLER_FAILED_PERMANENTLY|failed permanently/);
      expect(job!.failedReason).toMatch(/unknown studio/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(runs).toBe(1);
      expect(worker.errors.map((e) => e.code)).toEqual(['HANDLER_FAILED_PERMANENTLY']);
    });

    it('a thrown handler is retried with backoff; once the attempts are used up the job is a dead letter', async () => {
      world = queueWorld();
      const { webhooks, queue } = world.receiver({}, { attempts: 3, backoff: 30 });
      const worker = world.workerReceiver();
      const attempts: Array<number | undefined> = [];
      worker.webhooks.onStreamLive((_event, ctx) => {
        attempts.push(ctx.attempt);
        throw new Error(`boom ${ctx.attempt}`);
      });
      world.worker(worker.webhooks);
      expect((await webhooks.receive(signedRequest())).status).toBe(202);
      const [job] = await eventually(async () => {
        const failed = await queue.queue.getFailed();
        return failed.length ? failed : undefined;
      });
      expect(attempts).toEqual([1, 2, 3]);
      expect(job!.attemptsMade).toBe(3);
      expect(job!.failedReason).toMatch(/boom 3/);
    });

    it('a delivery in flight elsewhere is delayed without using up an attempt, then runs once', async () => {
      world = queueWorld();
      const { webhooks, queue } = world.receiver({}, { attempts: 1 });
      const worker = world.workerReceiver();
      let runs = 0;
      worker.webhooks.onStreamLive(() => {
        runs++;
      });
      // Another process holds the claim (its lease is 5 s in the harness): a crashed worker would.
      const other = world.workerReceiver();
      const request = signedRequest();
      let release!: () => void;
      other.webhooks.onStreamLive(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
          }),
      );
      const held = other.webhooks.handleEventNow(liveEvent(), {
        deliveryId: request.id,
        source: 'webhook',
      });
      await eventually(() => release !== undefined);
      const w = world.worker(worker.webhooks);
      expect((await webhooks.receive(request)).status).toBe(202);
      const [delayed] = await eventually(async () => {
        const jobs = await queue.queue.getDelayed();
        return jobs.length ? jobs : undefined;
      });
      expect(delayed!.attemptsMade).toBe(0);
      release();
      expect(await held).toEqual({ outcome: 'handled' });
      await delayed!.promote();
      const outcome = await new Promise((resolve) =>
        w.worker.once('completed', (_j, r) => resolve(r)),
      );
      // attempts: 1, and still completed: the wait used none of them.
      expect(outcome).toBe('duplicate');
      expect(runs).toBe(0);
    });

    it('close() lets the active job finish before it resolves', async () => {
      world = queueWorld();
      const { webhooks, queue } = world.receiver();
      const worker = world.workerReceiver();
      let done = false;
      worker.webhooks.onStreamLive(async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        done = true;
      });
      const w = world.worker(worker.webhooks);
      expect((await webhooks.receive(signedRequest())).status).toBe(202);
      await eventually(async () => (await queue.queue.getActiveCount()) === 1);
      await w.close();
      expect(done).toBe(true);
      expect(await queue.queue.getCompletedCount()).toBe(1);
    });

    it('one receiver in queue mode can be its own worker: receive enqueues, the worker runs the handlers once', async () => {
      world = queueWorld();
      const queue = world.queue();
      // The same receiver object answers the sender and feeds the worker.
      const webhooks = createTraxWebhooks({ secret: SECRET, queue, store: world.store() });
      let runs = 0;
      webhooks.onStreamLive(() => {
        runs++;
      });
      const w = world.worker(webhooks);
      const outcomes: string[] = [];
      w.worker.on('completed', (_job, outcome) => outcomes.push(outcome));
      const request = signedRequest();
      expect((await webhooks.receive(request)).status).toBe(202);
      expect((await webhooks.receive(request)).status).toBe(200);
      await eventually(() => outcomes.length === 1);
      expect(outcomes).toEqual(['handled']);
      expect(runs).toBe(1);
    });

    it('refuses bad options with a TypeError naming them', () => {
      world = queueWorld();
      const { webhooks } = world.workerReceiver();
      const connection = { host: '127.0.0.1' };
      expect(() => createTraxWorker({} as never, { connection })).toThrow(/receiver must/);
      expect(() => createTraxWorker(webhooks, { connection, concurrency: 0 })).toThrow(
        /concurrency option/,
      );
      expect(() => createTraxWorker(webhooks, undefined as never)).toThrow(/options must/);
      expect(() => createTraxWorker(webhooks, { connection: 'redis://x' as never })).toThrow(
        /connection option/,
      );
    });
  },
);
