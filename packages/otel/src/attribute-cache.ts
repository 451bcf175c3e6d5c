import type { Attributes } from '@opentelemetry/api';

type Level<T> = Map<string, T>;

/**
 * Attribute sets keyed by up to four strings, built once each: a metric recorded with the
 * same combination again reuses the object instead of allocating one per delivery. The
 * combinations are few (outcomes × sources × event types × codes), so the cache stays small.
 */
export class AttributeCache {
  readonly #sets: Level<Level<Level<Level<Attributes>>>> = new Map();

  /** The set stored for the keys, if any. */
  get(k1: string, k2: string, k3: string, k4: string): Attributes | undefined {
    return this.#sets.get(k1)?.get(k2)?.get(k3)?.get(k4);
  }

  /** Stores `set` (frozen) for the keys and returns it. */
  set(k1: string, k2: string, k3: string, k4: string, set: Attributes): Attributes {
    const frozen = Object.freeze(set);
    child(child(child(this.#sets, k1), k2), k3).set(k4, frozen);
    return frozen;
  }
}

function child<T>(level: Level<Level<T>>, key: string): Level<T> {
  let next = level.get(key);
  if (next === undefined) {
    next = new Map();
    level.set(key, next);
  }
  return next;
}
