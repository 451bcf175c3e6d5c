/**
 * The memory store's record of deliveries, at most `max` of them: each key is either claimed
 * (a token and the end of its lease) or completed (when). Once full, the delivery that was
 * first claimed longest ago is forgotten first, but never a claim whose lease still runs.
 *
 * One entry per delivery, written once when it is claimed and updated in place when it
 * completes: a claim and its completion cost one `Map` write, as in lru-cache, where a `Map`
 * of live claims beside the completed keys cost a write and a delete per delivery, and V8
 * re-allocates a small `Map`'s table when its last entry is deleted (about 160 bytes per
 * delivery, BENCHMARKS.md).
 *
 * A `Map` holds key → its slot in a ring kept in first-claim order, which says which to
 * forget next. The map's values are small integers, and the times live in a `Float64Array`:
 * a time stored in the map itself would be a heap-allocated number per delivery, referenced
 * from an old, 100,000-entry table, which the garbage collector then has to track at every
 * collection. (Evicting through a `Map`'s own order — `keys().next()` — is not O(1) in V8: the
 * entries deleted from its front stay as holes that every such call walks, which measured
 * +28 µs per delivery at 100,000 keys.) A ring slot whose key was since forgotten, or claimed
 * again in a later slot, no longer matches the map, and is skipped.
 *
 * Why not lru-cache: the store needs only these few operations on a number and a token per
 * key, and lru-cache was 19 KB of the Cloudflare Worker bundle's 50 KB (minified), which put
 * the edge bundle over its 15 KB gzipped budget.
 */
export class DeliveryRing {
  /** key → its slot in the ring (a small integer, never a boxed number). */
  readonly #slots = new Map<string, number>();
  readonly #max: number;
  /** The ring, grown up to `max`, then overwritten from `#head` (the oldest slot). */
  readonly #keys: string[] = [];
  /**
   * The claim's token while it is held; `undefined` once completed (a completed delivery keeps
   * no token: every string kept per delivery costs the garbage collector on every request).
   */
  readonly #tokens: (string | undefined)[] = [];
  /** The end of the lease while claimed; the completion time once completed. */
  #times: Float64Array;
  #head = 0;

  constructor(max: number) {
    this.#max = max;
    // Grown by doubling, so a store that holds a few keys never allocates for 100,000.
    this.#times = new Float64Array(Math.min(max, 1024));
  }

  /** The slot of `key`, or -1 when it is not kept. */
  find(key: string): number {
    return this.#slots.get(key) ?? -1;
  }

  /** The token holding the claim in `slot`; `undefined` when that delivery is completed. */
  tokenAt(slot: number): string | undefined {
    return this.#tokens[slot];
  }

  /** The end of the lease (claimed) or the completion time (completed) in `slot`. */
  timeAt(slot: number): number {
    return this.#times[slot]!;
  }

  /** Records a new claim of `key`, in a slot of its own, forgetting the oldest delivery past `max`. */
  claim(key: string, token: string, leaseEndsAt: number, now: number): void {
    let slot: number;
    if (this.#keys.length < this.#max) {
      slot = this.#keys.length;
      if (slot === this.#times.length) this.#grow();
      this.#keys.push(key);
      this.#tokens.push(token);
    } else {
      slot = this.#oldestForgettable(now);
      const oldest = this.#keys[slot]!;
      // Only when the map still points here: the key may have been forgotten or claimed again.
      if (this.#slots.get(oldest) === slot) this.#slots.delete(oldest);
      this.#keys[slot] = key;
      this.#tokens[slot] = token;
      this.#head = (slot + 1) % this.#max;
    }
    this.#times[slot] = leaseEndsAt;
    this.#slots.set(key, slot);
  }

  /** Hands the claim in `slot` to `token` (a takeover, or the holder renewing its lease). */
  renew(slot: number, token: string, leaseEndsAt: number): void {
    this.#tokens[slot] = token;
    this.#times[slot] = leaseEndsAt;
  }

  /** Marks the claim in `slot` completed at `completedAt`. */
  complete(slot: number, completedAt: number): void {
    this.#tokens[slot] = undefined;
    this.#times[slot] = completedAt;
  }

  /** Forgets `key` in `slot` (a released claim, an expired completion). */
  forget(key: string, slot: number): void {
    this.#tokens[slot] = undefined;
    this.#slots.delete(key);
  }

  /**
   * The slot to overwrite: the head, unless it holds a claim whose lease still runs (a slow
   * handler still at work), which is passed over until the ring comes round again. Only when
   * every slot is such a claim is the oldest forgotten anyway: `max` deliveries in flight at
   * once. The head moves past what was passed over, so each is looked at once per round.
   */
  #oldestForgettable(now: number): number {
    for (let i = 0; i < this.#max; i++) {
      const slot = (this.#head + i) % this.#max;
      // Every slot with a token is the one its key maps to: forget() and complete() clear it.
      if (this.#tokens[slot] === undefined || this.#times[slot]! <= now) return slot;
    }
    return this.#head;
  }

  #grow(): void {
    const grown = new Float64Array(Math.min(this.#max, this.#times.length * 2));
    grown.set(this.#times);
    this.#times = grown;
  }
}
