/**
 * Completed delivery keys and when each was completed, at most `max` of them: once full, the
 * oldest completion is forgotten first.
 *
 * A `Map` holds key → completion time; a ring of (key, time) in completion order says which to
 * forget next. (Evicting through a `Map`'s own order — `keys().next()` — is not O(1) in V8: the
 * entries deleted from its front stay as holes that every such call walks, which measured
 * +28 µs per delivery at 100,000 keys.) A ring slot whose key was since forgotten (its TTL ran
 * out) or completed again (a later time) no longer matches the map, and is skipped.
 *
 * Why not lru-cache: the store needs only get / set / delete of a number per key, and
 * lru-cache was 19 KB of the Cloudflare Worker bundle's 50 KB (minified), which put the edge
 * bundle over its 15 KB gzipped budget.
 */
export class CompletedKeys {
  readonly #times = new Map<string, number>();
  readonly #max: number;
  /** The ring, filled up to `max`, then overwritten from `#head` (the oldest slot). */
  readonly #ringKeys: string[] = [];
  readonly #ringTimes: number[] = [];
  #head = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** When `key` was completed; `undefined` when it is not kept. */
  get(key: string): number | undefined {
    return this.#times.get(key);
  }

  /** Records `key` as completed at `completedAt`, forgetting the oldest completion past `max`. */
  set(key: string, completedAt: number): void {
    this.#times.set(key, completedAt);
    if (this.#ringKeys.length < this.#max) {
      this.#ringKeys.push(key);
      this.#ringTimes.push(completedAt);
      return;
    }
    const oldest = this.#ringKeys[this.#head]!;
    if (this.#times.get(oldest) === this.#ringTimes[this.#head] && oldest !== key) {
      this.#times.delete(oldest);
    }
    this.#ringKeys[this.#head] = key;
    this.#ringTimes[this.#head] = completedAt;
    this.#head = (this.#head + 1) % this.#max;
  }

  delete(key: string): void {
    this.#times.delete(key);
  }
}
