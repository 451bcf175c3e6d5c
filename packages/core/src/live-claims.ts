/**
 * The memory store's live claims: key → claim, each for as long as its handler runs.
 *
 * A `Map` that never empties. V8 re-allocates a `Map`'s hash table when a delete leaves it less
 * than a quarter full, and a store whose handlers answer in the same turn holds one claim at a
 * time: set at the claim, deleted at the completion, so every delivery allocated a new table
 * (about 150 bytes; 50 with one permanent entry, in a scratch loop, BENCHMARKS.md). One entry
 * under a key no delivery can have (a symbol) keeps the table at its smallest size instead.
 */
const KEEPS_THE_TABLE = Symbol('keeps the table from shrinking');

export class LiveClaims<T> {
  readonly #claims = new Map<string | symbol, T | undefined>([[KEEPS_THE_TABLE, undefined]]);

  /** How many claims are held. */
  get size(): number {
    return this.#claims.size - 1;
  }

  get(key: string): T | undefined {
    return this.#claims.get(key);
  }

  set(key: string, claim: T): void {
    this.#claims.set(key, claim);
  }

  delete(key: string): void {
    this.#claims.delete(key);
  }

  /** Deletes every claim for which `ended(claim)` is true. */
  deleteWhere(ended: (claim: T) => boolean): void {
    for (const [key, claim] of this.#claims) {
      if (key !== KEEPS_THE_TABLE && ended(claim as T)) this.#claims.delete(key);
    }
  }
}
