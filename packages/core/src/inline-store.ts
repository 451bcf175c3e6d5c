import type { ClaimResult, DeliveryStore } from './delivery-store.js';

/**
 * The same three operations as a {@link DeliveryStore}, answered at once instead of as
 * promises. The memory store has nothing to wait for, and on the hot path its promises (and
 * the turns spent awaiting them, and tracking the completion as background work) cost more
 * than its Map lookups. Internal: a store cannot declare this itself; only
 * `MemoryDeliveryStore` registers it, so no contract outside core changes.
 */
export interface InlineStoreOperations {
  claim(key: string, token: string): ClaimResult;
  complete(key: string, token: string): boolean;
  release(key: string, token: string): boolean;
}

interface InlineCapable {
  readonly inline: InlineStoreOperations;
  /** The public methods the inline operations stand for (a subclass may override them). */
  readonly claim: DeliveryStore['claim'];
  readonly complete: DeliveryStore['complete'];
  readonly release: DeliveryStore['release'];
}

const registered = new WeakMap<object, InlineCapable>();

/**
 * Registers `store`'s synchronous operations, standing for `methods` (its class's own
 * `claim`, `complete` and `release`, taken from the prototype: a subclass's overrides differ).
 */
export function registerInlineStore(
  store: DeliveryStore,
  inline: InlineStoreOperations,
  methods: Pick<DeliveryStore, 'claim' | 'complete' | 'release'>,
): void {
  const { claim, complete, release } = methods;
  registered.set(store, { inline, claim, complete, release });
}

/**
 * `store`'s synchronous operations, when it registered them and still uses the methods they
 * stand for: a subclass or a wrapper that overrides `claim` (to log, to count) is called
 * through its own methods, never bypassed.
 */
export function inlineOperationsOf(store: DeliveryStore): InlineStoreOperations | undefined {
  const capable = registered.get(store);
  if (capable === undefined) return undefined;
  const same =
    store.claim === capable.claim &&
    store.complete === capable.complete &&
    store.release === capable.release;
  return same ? capable.inline : undefined;
}
