/**
 * The `DeliveryStore` contract as a Vitest suite: every store, ours and yours, runs it.
 *
 * @example
 * ```ts
 * import { describeDeliveryStoreContract } from '@trax-webhooks/core/contract';
 * describeDeliveryStoreContract('MyStore', { create: ({ leaseMs, ttlMs }) => new MyStore({ leaseMs, ttlMs }) });
 * ```
 */
export {
  type DeliveryStoreContractOptions,
  describeDeliveryStoreContract,
  type StoreTimings,
} from './delivery-store-contract.js';
