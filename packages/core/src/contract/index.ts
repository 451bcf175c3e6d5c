/**
 * The contracts as Vitest suites: every `DeliveryStore` and every adapter, ours and yours,
 * runs the same tests.
 *
 * @example
 * ```ts
 * import { describeAdapterConformance, describeDeliveryStoreContract } from '@trax-webhooks/core/contract';
 * describeDeliveryStoreContract('MyStore', { create: ({ leaseMs, ttlMs }) => new MyStore({ leaseMs, ttlMs }) });
 * describeAdapterConformance('my adapter', { start, childServer, routesByPath: true, boundsBodyTime: true });
 * ```
 */
export {
  type AdapterConformanceOptions,
  type AdapterServer,
  describeAdapterConformance,
} from './adapter-conformance.js';
export { CONFORMANCE_OPTIONS_ENV, type ConformanceChildServer } from './conformance-child.js';
export {
  type DeliveryStoreContractOptions,
  describeDeliveryStoreContract,
  type StoreTimings,
} from './delivery-store-contract.js';
