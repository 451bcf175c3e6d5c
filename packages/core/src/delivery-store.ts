/**
 * What a store answers to a claim.
 * - `claimed`: this caller owns the delivery until its lease ends; run the handlers.
 * - `duplicate`: it was completed before; acknowledge it without running anything.
 * - `in-flight`: another caller holds a live lease on it; ask the sender to come back.
 */
export type ClaimResult =
  | { readonly status: 'claimed' }
  | { readonly status: 'duplicate' }
  | { readonly status: 'in-flight'; readonly retryAfterMs: number };

/**
 * The two-phase dedupe contract every store honours (run `describeDeliveryStoreContract`
 * from `@trax-webhooks/core/contract` against yours):
 *
 * 1. `claim(key, token)` is atomic: of any number of concurrent claims of one key, exactly one
 *    is `claimed`. The claim holds a lease; when the lease ends (the claimer died or hangs), the
 *    next claim takes the delivery over.
 * 2. `complete(key, token)` records success for the store's TTL: later claims are `duplicate`.
 * 3. `release(key, token)` forgets a failed attempt so the sender's retry can claim it.
 *
 * `complete` and `release` act only while `token` still owns the key: a claimer whose lease
 * was taken over never completes or releases the new owner's claim. All three are safe to
 * repeat with the same token (a client may resend a command after a reconnect).
 *
 * A claim that resolves anything but one of the {@link ClaimResult} shapes breaks the contract;
 * the receiver then fails closed (503 `STORE_UNAVAILABLE`) and never runs the handlers.
 */
export interface DeliveryStore {
  /**
   * How long a completed key is remembered, in milliseconds, when the store knows. The receiver
   * refuses a store that forgets sooner than the signature's replay window (`tolerance`): a
   * captured delivery replayed after the store forgot it, but inside the window, would run again.
   */
  readonly ttlMs?: number;
  /** Claims `key` for `token`. Repeating a claim with the token that holds it answers `claimed`. */
  claim(key: string, token: string): Promise<ClaimResult>;
  /**
   * Marks `key` done. Resolves `true` when `token` owned it or `key` is done already (a repeat),
   * `false` when another token holds it or nothing does (never claimed, released, or forgotten).
   */
  complete(key: string, token: string): Promise<boolean>;
  /** Forgets `token`'s claim of `key`. Resolves `true` when it did, `false` when `token` no longer owned it. */
  release(key: string, token: string): Promise<boolean>;
}
