export { recommendedRedisOptions } from './recommended-redis-options.js';
export type { RedisClient } from './redis-client.js';
export { RedisCommandTimeoutError } from './redis-command-timeout-error.js';
export { RedisDeliveryStore, type RedisDeliveryStoreOptions } from './redis-delivery-store.js';
export {
  RedisStudioStateStore,
  type RedisStudioStateStoreOptions,
} from './redis-studio-state-store.js';
