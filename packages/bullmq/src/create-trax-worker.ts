import type { AnsweredResult, TraxWebhooks } from '@trax-webhooks/core';
import {
  type ConnectionOptions,
  DelayedError,
  type Job,
  UnrecoverableError,
  Worker,
  type WorkerOptions,
} from 'bullmq';
import { checkConnection, nonEmptyString, positiveInteger } from './check-options.js';
import { DEFAULT_QUEUE_NAME, type DeliveryJobData, isDeliveryJobData } from './delivery-job.js';

/** What a worker needs of a receiver: any receiver (core's, the Express middleware, `app.traxWebhooks`). */
export type WorkerReceiver = Pick<TraxWebhooks, 'handleEventNow' | 'drain'>;

/** Options of {@link createTraxWorker}. */
export interface TraxWorkerOptions {
  /**
   * The Redis connection: ioredis options, or a client made with `maxRetriesPerRequest: null`
   * (BullMQ requires it of a worker's connection, and refuses a client without it).
   */
  connection: ConnectionOptions;
  /** The queue's name, as given to `createDeliveryQueue`. @default 'trax-webhooks' */
  name?: string;
  /** BullMQ's key prefix, as given to `createDeliveryQueue`. @default 'bull' */
  prefix?: string;
  /** How many deliveries this worker runs at once. @default 10 */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal: a worker that dies (SIGKILL) leaves its jobs
   * active until then, when another worker takes them over as stalled. @default 30_000
   */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs. @default 30_000 */
  stalledIntervalMs?: number;
  /** How many times a job may stall before it fails. @default 1 (BullMQ's) */
  maxStalledCount?: number;
  /** Any other BullMQ worker option, applied last. */
  workerOptions?: Partial<WorkerOptions>;
}

/** A running worker. */
export interface TraxWorker {
  /** The BullMQ worker, for its events (`completed`, `failed`, `stalled`, `error`). */
  readonly worker: Worker<DeliveryJobData, WorkerOutcome>;
  /**
   * Stops taking jobs, lets the active ones finish, then waits for the receiver's background
   * work (completions being recorded): call it on SIGTERM.
   */
  close(): Promise<void>;
}

/** What a completed job returns (its `returnvalue`). */
export type WorkerOutcome = 'handled' | 'duplicate';

/**
 * Runs the handlers registered on `receiver` for every job of the delivery queue, through
 * `handleEventNow`: claim in the receiver's `DeliveryStore` → handlers → complete.
 *
 * - a thrown handler → the job is retried with the queue's backoff, up to its `attempts`;
 * - `permanentFailure()` → the job fails at once (BullMQ's `UnrecoverableError`), no retry;
 * - the same delivery in flight elsewhere, or the store unavailable → the job is delayed by
 *   the store's `Retry-After` without using up an attempt;
 * - done before (the store says so) → the job completes as `'duplicate'`, nothing ran.
 *
 * `ctx.attempt` is the handler's attempt (1 for the first run of the job); the sender's attempt
 * is `ctx.senderAttempt`.
 *
 * @example
 * ```ts
 * const webhooks = createTraxWebhooks({ secret, store: new RedisDeliveryStore(redis) });
 * webhooks.onStreamLive(notify);
 * const { close } = createTraxWorker(webhooks, { connection: { host: '127.0.0.1', port: 6379 } });
 * process.once('SIGTERM', () => void close());
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export function createTraxWorker(receiver: WorkerReceiver, options: TraxWorkerOptions): TraxWorker {
  if (typeof receiver?.handleEventNow !== 'function') {
    throw new TypeError(
      'receiver must be a receiver with handleEventNow(): createTraxWebhooks(), the Express middleware or app.traxWebhooks',
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object with at least a connection');
  }
  const {
    connection,
    name = DEFAULT_QUEUE_NAME,
    prefix,
    concurrency = 10,
    lockDurationMs = 30_000,
    stalledIntervalMs = 30_000,
    maxStalledCount = 1,
    workerOptions,
  } = options;
  checkConnection(connection);
  nonEmptyString(name, 'name');
  if (prefix !== undefined) nonEmptyString(prefix, 'prefix');
  positiveInteger(concurrency, 'concurrency');
  positiveInteger(lockDurationMs, 'lockDurationMs');
  positiveInteger(stalledIntervalMs, 'stalledIntervalMs');
  if (!Number.isSafeInteger(maxStalledCount) || maxStalledCount < 0) {
    throw new TypeError('maxStalledCount option must be a nonnegative integer');
  }

  async function runDelivery(
    job: Job<DeliveryJobData, WorkerOutcome>,
    token?: string,
  ): Promise<WorkerOutcome> {
    const { data } = job;
    // Not ours (another producer on the same queue): failing it at once keeps it for a person.
    if (!isDeliveryJobData(data)) {
      throw new UnrecoverableError('The job is not a trax-webhooks delivery; it was not run.');
    }
    const result = await receiver.handleEventNow(data.event, {
      deliveryId: data.deliveryId,
      source: data.source,
      receivedAt: new Date(data.receivedAt),
      attempt: job.attemptsMade + 1,
      senderAttempt: data.senderAttempt,
      // An operator's rerun claims a key of its own: it runs even though the delivery is done,
      // and still once.
      dedupeKey: data.rerun === undefined ? data.key : `${data.key}#${data.rerun}`,
      trace: data.trace,
    });
    return settle(result, job, token);
  }

  async function settle(
    result: AnsweredResult,
    job: Job<DeliveryJobData, WorkerOutcome>,
    token: string | undefined,
  ): Promise<WorkerOutcome> {
    switch (result.outcome) {
      case 'handled':
        return 'handled';
      case 'duplicate':
        return 'duplicate';
      case 'failed-permanently':
        throw new UnrecoverableError(describe(result.error));
      case 'failed':
        throw new Error(describe(result.error));
      case 'in-flight':
      case 'store-unavailable': {
        const waitMs =
          result.outcome === 'in-flight'
            ? result.retryAfterMs
            : (result.error.retryAfterMs ?? 5_000);
        // Not the handler's failure: wait without using up one of the job's attempts.
        await job.moveToDelayed(Date.now() + Math.max(waitMs, 100), token);
        throw new DelayedError();
      }
      case 'accepted':
      case 'queued':
        // handleEventNow never enqueues nor answers before the handlers ran.
        throw new Error(`The receiver answered ${result.outcome} to handleEventNow; nothing ran.`);
    }
  }

  const worker = new Worker<DeliveryJobData, WorkerOutcome>(name, runDelivery, {
    connection,
    ...(prefix === undefined ? {} : { prefix }),
    concurrency,
    lockDuration: lockDurationMs,
    stalledInterval: stalledIntervalMs,
    maxStalledCount,
    ...workerOptions,
  });
  // Connection errors are BullMQ's to recover from (it reconnects); unheard, they would crash.
  worker.on('error', () => {});

  return {
    worker,
    async close() {
      await worker.close();
      await receiver.drain();
    },
  };
}

/** The error's message and its cause's: what the failed set shows an operator. */
function describe(error: Error): string {
  const { cause } = error as { cause?: unknown };
  const because = cause instanceof Error ? cause.message : cause === undefined ? '' : String(cause);
  return because ? `${error.message} ${because}` : error.message;
}
