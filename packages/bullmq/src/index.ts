export {
  createDeliveryQueue,
  DEFAULT_DEDUPE_TTL_MS,
  type DeliveryQueueOptions,
  type TraxDeliveryQueue,
} from './create-delivery-queue.js';
export {
  createTraxWorker,
  type TraxWorker,
  type TraxWorkerOptions,
  type WorkerOutcome,
  type WorkerReceiver,
} from './create-trax-worker.js';
export { DEFAULT_QUEUE_NAME, type DeliveryJobData } from './delivery-job.js';
export {
  type DeliveryQueueAdmin,
  type DeliveryQueueAdminOptions,
  type DeliveryQueueCounts,
  type FailedDelivery,
  openDeliveryQueueAdmin,
} from './delivery-queue-admin.js';
export {
  createStudioOrderGuard,
  type OrderGuardClient,
  type StudioOrderGuard,
  type StudioOrderGuardOptions,
} from './studio-order-guard.js';
