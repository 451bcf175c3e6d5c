import type { ClaimResult } from './delivery-store.js';

/**
 * Reads what a store's `claim()` resolved. Anything but a {@link ClaimResult} (null, an unknown
 * status, an in-flight answer without a usable wait) breaks the contract and reads as
 * `undefined`: the receiver then fails closed rather than guess that the claim was granted.
 * A missing or unusable `retryAfterMs` of an in-flight answer is repaired to 1 s, not refused:
 * the essential part, "someone else holds it", is clear.
 */
export function readClaimResult(value: unknown): ClaimResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { status } = value as { status?: unknown };
  if (status === 'claimed' || status === 'duplicate') return value as ClaimResult;
  if (status !== 'in-flight') return undefined;
  const { retryAfterMs } = value as { retryAfterMs?: unknown };
  if (typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return value as ClaimResult;
  }
  return { status: 'in-flight', retryAfterMs: 1000 };
}
