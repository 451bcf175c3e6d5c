/** Headers as fetch's `Response.headers` offers them. */
export interface HeaderReader {
  get(name: string): string | null;
}

// Unix timestamps in seconds are past 1e9 since 2001; a delta of that size would be 31 years.
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

/**
 * When `Retry-After` says to come back, in epoch milliseconds: either form of RFC 9110
 * (`120`, or `Fri, 27 Nov 2026 12:00:00 GMT`). `undefined` when absent or unreadable.
 */
export function retryAfterAt(headers: HeaderReader, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return now + Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(now, date);
}

/**
 * When the API key's rate-limit window resets, in epoch milliseconds, if the response says the
 * window is used up (`X-RateLimit-Remaining: 0`, or the IETF draft's `RateLimit-Remaining`).
 * The reset header is read as epoch seconds when it is that large, otherwise as seconds from now
 * (APIs use both).
 */
export function rateLimitResetAt(headers: HeaderReader, now: number): number | undefined {
  const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  if (remaining === null || Number(remaining.trim()) > 0) return undefined;
  const reset = Number(
    (headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset'))?.trim(),
  );
  if (!Number.isFinite(reset) || reset < 0) return undefined;
  return reset >= EPOCH_SECONDS_THRESHOLD ? Math.max(now, reset * 1000) : now + reset * 1000;
}
