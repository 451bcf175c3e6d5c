/** Options of the mock API's rate limit. */
export interface RateLimitOptions {
  /** Requests allowed per window, per API key. */
  limit: number;
  /** The window length in milliseconds. @default 1000 */
  windowMs?: number;
}

/** The state of one key's window after counting a request. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets (`X-RateLimit-Reset`, GitHub's convention). */
  resetAt: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/**
 * A fixed window per API key: simple, predictable in tests, and the shape most public APIs
 * document. It reads the clock through `Date.now()`, so fake timers drive it.
 */
export function createFixedWindowRateLimit(options: RateLimitOptions) {
  const { limit, windowMs = 1000 } = options;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new TypeError('rateLimit.limit option must be a positive integer');
  if (!Number.isSafeInteger(windowMs) || windowMs < 1)
    throw new TypeError('rateLimit.windowMs option must be a positive integer');
  const windows = new Map<string, { start: number; count: number }>();
  return function take(key: string): RateLimitDecision {
    const now = Date.now();
    let window = windows.get(key);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    const resetInMs = window.start + windowMs - now;
    return {
      allowed: window.count <= limit,
      limit,
      remaining: Math.max(0, limit - window.count),
      resetAt: Math.ceil((window.start + windowMs) / 1000),
      resetInMs,
    };
  };
}
