/**
 * Completed delivery keys and when each was completed, at most `max` of them: once full, the
 * oldest completion is forgotten first.
 *
 * A `Map` holds key → its slot in a ring of (key, time) kept in completion order, which says
 * which to forget next. The map's values are small integers and the times live in a
 * `Float64Array`: a completion time stored in the map itself would be a heap-allocated number
 * per delivery, referenced from an old, 100,000-entry table, which the garbage collector then
 * has to track at every collection. (Evicting through a `Map`'s own order — `keys().next()` — is not O(1) in V8: the
 * entries deleted from its front stay as holes that every such call walks, which measured
 * +28 µs per delivery at 100,000 keys.) A ring slot whose key was since forgotten (its TTL ran
 * out) or completed again (a later time) no longer matches the map, and is skipped.
 *
 * Why not lru-cache: the store needs only get / set / delete of a number per key, and
 * lru-cache was 19 KB of the Cloudflare Worker bundle's 50 KB (minified), which put the edge
 * bundle over its 15 KB gzipped budget.
 */
export class CompletedKeys {
  /** key → its slot in the ring (a small integer, never a boxed number). */
  readonly #slots = new Map<string, number>();
  readonly #max: number;
  /** The ring, grown up to `max`, then overwritten from `#head` (the oldest slot). */
  readonly #ringKeys: string[] = [];
  #ringTimes: Float64Array;
  #head = 0;

  constructor(max: number) {
    this.#max = max;
    // Grown by doubling, so a store that holds a few keys never allocates for 100,000.
    this.#ringTimes = new Float64Array(Math.min(max, 1024));
  }

  /** When `key` was completed; `undefined` when it is not kept. */
  get(key: string): number | undefined {
    const slot = this.#slots.get(key);
    return slot === undefined ? undefined : this.#ringTimes[slot];
  }

  /** Records `key` as completed at `completedAt`, forgetting the oldest completion past `max`. */
  set(key: string, completedAt: number): void {
    let slot: number;
    if (this.#ringKeys.length < this.#max) {
      slot = this.#ringKeys.length;
      if (slot === this.#ringTimes.length) this.#grow();
      this.#ringKeys.push(key);
    } else {
      slot = this.#head;
      const oldest = this.#ringKeys[slot]!;
      // Only when the map still points here: the key may have been forgotten (TTL) or
      // completed again since (a later slot).
      if (this.#slots.get(oldest) === slot) this.#slots.delete(oldest);
      this.#ringKeys[slot] = key;
      this.#head = (slot + 1) % this.#max;
    }
    this.#ringTimes[slot] = completedAt;
    this.#slots.set(key, slot);
  }

  delete(key: string): void {
    this.#slots.delete(key);
  }

  #grow(): void {
    const grown = new Float64Array(Math.min(this.#max, this.#ringTimes.length * 2));
    grown.set(this.#ringTimes);
    this.#ringTimes = grown;
  }
}
