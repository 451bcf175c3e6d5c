import { randomUUID } from 'node:crypto';
import type { DeliveryQueue, EnqueueOutcome, QueuedDelivery } from '@trax-webhooks/core';
import { type BackoffOptions, type ConnectionOptions, type KeepJobs, Queue } from 'bullmq';
import { checkConnection, nonEmptyString, positiveInteger } from './check-options.js';
import { DEFAULT_QUEUE_NAME, type DeliveryJobData, toJobData } from './delivery-job.js';
import { withTimeout } from './with-timeout.js';

/** Options of {@link createDeliveryQueue}. */
export interface DeliveryQueueOptions {
  /**
   * The Redis connection: an ioredis client (shared as it is) or its options (BullMQ opens its
   * own). The add is bounded by `addTimeoutMs` whatever the connection's retry settings are.
   */
  connection: ConnectionOptions;
  /**
   * The queue's name; workers must use the same. For Redis Cluster, hash-tag it (`'{trax}'`)
   * or the `prefix`, so that every key of the queue lands in one slot.
   * @default 'trax-webhooks'
   */
  name?: string;
  /** BullMQ's key prefix. @default 'bull' */
  prefix?: string;
  /**
   * How long one add may take before the receiver answers 503 + `Retry-After`.
   * @default 2_000
   */
  addTimeoutMs?: number;
  /**
   * How long a dedupe key blocks copies, from the first add, whatever the job's state: at least
   * the sender's retry horizon (Standard Webhooks' schedule spans about 28 hours). A copy after
   * it is queued again, and the worker finds it done in the `DeliveryStore`.
   * @default 259_200_000 (3 days)
   */
  dedupeTtlMs?: number;
  /** How many times a worker runs the handlers of one delivery before it is a dead letter. @default 10 */
  attempts?: number;
  /** The wait between handler attempts. @default { type: 'exponential', delay: 1_000 } */
  backoff?: number | BackoffOptions;
  /**
   * Which completed jobs BullMQ keeps. A removed job takes its dedupe key with it.
   * @default { age: 86_400, count: 10_000 } (a day, at most 10,000)
   */
  removeOnComplete?: boolean | number | KeepJobs;
  /** Which failed jobs (the dead letters) BullMQ keeps. @default false (all of them) */
  removeOnFail?: boolean | number | KeepJobs;
}

/** A {@link DeliveryQueue} on BullMQ. */
export interface TraxDeliveryQueue extends DeliveryQueue {
  /** The BullMQ queue, for anything else you do with it (counts, dashboards). */
  readonly queue: Queue<DeliveryJobData>;
  /** Closes the queue (and the connection, when BullMQ opened it). */
  close(): Promise<void>;
}

export const DEFAULT_DEDUPE_TTL_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * A delivery queue on BullMQ for the receiver's `queue` option: each verified delivery becomes
 * one job, deduplicated on its dedupe key, and the receiver answers 202 once Redis confirmed it.
 *
 * New and duplicate are told apart in the add itself, without a race: each add asks for a job
 * id of its own and for BullMQ's deduplication on the dedupe key. BullMQ's add script (one
 * atomic Lua call) returns the id of the job holding the key when there is one, so the add
 * is new exactly when the id that comes back is the one it asked for.
 *
 * @example
 * ```ts
 * const queue = createDeliveryQueue({ connection: { host: '127.0.0.1', port: 6379 } });
 * app.use(traxWebhooks({ secret, store, queue }));
 * ```
 * @throws {TypeError} naming the option that is wrong
 */
export function createDeliveryQueue(options: DeliveryQueueOptions): TraxDeliveryQueue {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object with at least a connection');
  }
  const {
    connection,
    name = DEFAULT_QUEUE_NAME,
    prefix,
    addTimeoutMs = 2_000,
    dedupeTtlMs = DEFAULT_DEDUPE_TTL_MS,
    attempts = 10,
    backoff = { type: 'exponential', delay: 1_000 },
    removeOnComplete = { age: 86_400, count: 10_000 },
    removeOnFail = false,
  } = options;
  checkConnection(connection);
  nonEmptyString(name, 'name');
  if (prefix !== undefined) nonEmptyString(prefix, 'prefix');
  positiveInteger(addTimeoutMs, 'addTimeoutMs');
  positiveInteger(dedupeTtlMs, 'dedupeTtlMs');
  positiveInteger(attempts, 'attempts');
  const queue = new Queue<DeliveryJobData>(name, {
    connection,
    ...(prefix === undefined ? {} : { prefix }),
    defaultJobOptions: { attempts, backoff, removeOnComplete, removeOnFail },
  });
  // Connection errors surface as rejected adds (503); without a listener they would crash.
  queue.on('error', () => {});
  const idPrefix = `${randomUUID()}-`;
  let added = 0;

  return {
    queue,
    enqueue(delivery: QueuedDelivery): Promise<EnqueueOutcome> {
      // Unique across processes (the random part) and cheap per add (the counter).
      const jobId = `d-${idPrefix}${(++added).toString(36)}`;
      return withTimeout(
        queue.add(delivery.event.type, toJobData(delivery), {
          jobId,
          deduplication: { id: delivery.key, ttl: dedupeTtlMs },
        }),
        addTimeoutMs,
        (job): EnqueueOutcome => (job.id === jobId ? 'queued' : 'duplicate'),
      );
    },
    close: () => queue.close(),
  };
}
