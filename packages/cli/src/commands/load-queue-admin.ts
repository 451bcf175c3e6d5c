import type { DeliveryQueueAdmin } from '@trax-webhooks/bullmq';
import { UsageError } from '../usage-error.js';

/** Where the queue is, as the command line said. */
export interface QueueTarget {
  redisUrl: string;
  name: string | undefined;
  prefix: string | undefined;
}

/** Says what to install; exit code 2 like any other unusable command line. */
class MissingQueuePackagesError extends UsageError {}

/**
 * Opens the delivery queue through `@trax-webhooks/bullmq`, imported only here and only when
 * `trax-webhooks queue` runs: bullmq and ioredis stay optional for everyone else.
 */
export async function loadQueueAdmin(target: QueueTarget): Promise<DeliveryQueueAdmin> {
  let bullmq: typeof import('@trax-webhooks/bullmq');
  let ioredis: typeof import('ioredis');
  try {
    [bullmq, ioredis] = await Promise.all([import('@trax-webhooks/bullmq'), import('ioredis')]);
  } catch {
    throw new MissingQueuePackagesError(
      'trax-webhooks queue needs the queue packages: npm install @trax-webhooks/bullmq bullmq ioredis',
    );
  }
  const redis = new ioredis.Redis(target.redisUrl, {
    // An operator's command: fail in seconds when Redis is away, never wait for it.
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    retryStrategy: (times) => (times > 2 ? null : 200),
    enableOfflineQueue: true,
    lazyConnect: true,
  });
  redis.on('error', () => {});
  await redis.connect();
  const admin = bullmq.openDeliveryQueueAdmin({
    connection: redis,
    ...(target.name === undefined ? {} : { name: target.name }),
    ...(target.prefix === undefined ? {} : { prefix: target.prefix }),
  });
  return {
    ...admin,
    async close() {
      await admin.close();
      redis.disconnect();
    },
  };
}
