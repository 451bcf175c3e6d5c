import { randomUUID } from 'node:crypto';
import { type ConnectionOptions, type Job, Queue } from 'bullmq';
import { checkConnection, nonEmptyString } from './check-options.js';
import { DEFAULT_QUEUE_NAME, type DeliveryJobData, isDeliveryJobData } from './delivery-job.js';

/** Options of {@link openDeliveryQueueAdmin}. */
export interface DeliveryQueueAdminOptions {
  connection: ConnectionOptions;
  /** @default 'trax-webhooks' */
  name?: string;
  /** @default 'bull' */
  prefix?: string;
}

/** How many jobs are in each state. */
export interface DeliveryQueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

/** A dead letter, as an operator sees it. */
export interface FailedDelivery {
  jobId: string;
  deliveryId: string | undefined;
  eventType: string;
  attemptsMade: number;
  /** The last error (the handler's message, as the worker recorded it). */
  failedReason: string;
  failedAt: Date | undefined;
}

/** What `trax-webhooks queue` does, for scripts and dashboards too. */
export interface DeliveryQueueAdmin {
  counts(): Promise<DeliveryQueueCounts>;
  /** The failed jobs, newest first. @default limit 100 */
  failed(limit?: number): Promise<FailedDelivery[]>;
  /**
   * Moves one failed job back to waiting, its attempts reset, to run its handlers again (even
   * after a `permanentFailure()`); `false` when it is not failed (or not there).
   */
  retry(jobId: string): Promise<boolean>;
  /** Moves every failed job back to waiting; resolves how many there were. */
  retryAll(): Promise<number>;
  /**
   * Queues the delivery again under a claim of its own, so its handlers run even though the
   * store says it is done: an operator's decision. `undefined` when no job of it is left.
   */
  replay(deliveryId: string): Promise<{ jobId: string; replayOf: string } | undefined>;
  close(): Promise<void>;
}

/** How many finished jobs `replay` looks through when the dedupe key is gone. */
const REPLAY_SEARCH_LIMIT = 10_000;

/**
 * Opens the delivery queue for an operator: counts, dead letters, retries and replays.
 *
 * @example
 * ```ts
 * const admin = openDeliveryQueueAdmin({ connection: new Redis(url) });
 * for (const dead of await admin.failed()) console.log(dead.deliveryId, dead.failedReason);
 * await admin.retryAll();
 * await admin.close();
 * ```
 */
export function openDeliveryQueueAdmin(options: DeliveryQueueAdminOptions): DeliveryQueueAdmin {
  const { connection, name = DEFAULT_QUEUE_NAME, prefix } = options;
  checkConnection(connection);
  nonEmptyString(name, 'name');
  if (prefix !== undefined) nonEmptyString(prefix, 'prefix');
  const queue = new Queue<DeliveryJobData>(name, {
    connection,
    ...(prefix === undefined ? {} : { prefix }),
  });
  queue.on('error', () => {});

  async function findJob(deliveryId: string): Promise<Job<DeliveryJobData> | undefined> {
    const current = await queue.getDeduplicationJobId(deliveryId);
    if (current) {
      const job = await queue.getJob(current);
      if (job && isDeliveryJobData(job.data)) return job;
    }
    const finished = await queue.getJobs(['failed', 'completed'], 0, REPLAY_SEARCH_LIMIT);
    return finished.find(
      (job) => isDeliveryJobData(job?.data) && job.data.deliveryId === deliveryId,
    ) as Job<DeliveryJobData> | undefined;
  }

  /**
   * A dead letter goes back to waiting under a rerun mark: a `permanentFailure()` was recorded
   * done in the store, and the operator asked for the handlers to run again.
   */
  async function rerun(job: Job<DeliveryJobData>): Promise<void> {
    if (isDeliveryJobData(job.data)) {
      await job.updateData({ ...job.data, rerun: `retry-${randomUUID()}` });
    }
    await job.retry('failed');
  }

  return {
    async counts() {
      const counts = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'completed',
        'failed',
      );
      return {
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
      };
    },
    async failed(limit = 100) {
      const jobs = await queue.getFailed(0, limit - 1);
      return jobs.filter(Boolean).map((job) => {
        const data = isDeliveryJobData(job.data) ? job.data : undefined;
        return {
          jobId: String(job.id),
          deliveryId: data?.deliveryId,
          eventType: data?.event.type ?? job.name,
          attemptsMade: job.attemptsMade,
          failedReason: job.failedReason ?? '',
          failedAt: job.finishedOn ? new Date(job.finishedOn) : undefined,
        };
      });
    },
    async retry(jobId) {
      const job = await queue.getJob(jobId);
      if (!job || (await job.getState()) !== 'failed') return false;
      await rerun(job);
      return true;
    },
    async retryAll() {
      let retried = 0;
      // Page by page: each retried job leaves the failed set.
      for (;;) {
        const page = (await queue.getFailed(0, 99)).filter(Boolean);
        if (page.length === 0) return retried;
        for (const job of page) await rerun(job as Job<DeliveryJobData>);
        retried += page.length;
      }
    },
    async replay(deliveryId) {
      const job = await findJob(deliveryId);
      if (!job) return undefined;
      const replayOf = String(job.id);
      const jobId = `r-${randomUUID()}`;
      // The retry policy of the original: this queue has no defaults of its own.
      const { attempts, backoff, removeOnComplete, removeOnFail } = job.opts;
      await queue.add(
        job.name,
        { ...job.data, replayOf, rerun: `replay-${jobId}` },
        { jobId, attempts, backoff, removeOnComplete, removeOnFail },
      );
      return { jobId, replayOf };
    },
    close: () => queue.close(),
  };
}
