/**
 * The delays before each attempt, in milliseconds, as Standard Webhooks senders (Svix) use:
 * immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. Eight attempts over about a day.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = Object.freeze([
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
]);

/** Options of {@link exponentialSchedule}. */
export interface ExponentialScheduleOptions {
  /** How many attempts in all, the first included. */
  attempts: number;
  /** The delay before the second attempt. @default 1000 */
  initialMs?: number;
  /** Each next delay is this many times the last. @default 2 */
  factor?: number;
  /** No delay is longer than this. @default Infinity */
  maxMs?: number;
}

/**
 * Builds a schedule of `attempts` delays: 0, then `initialMs`, growing by `factor` up to `maxMs`.
 *
 * @example
 * ```ts
 * exponentialSchedule({ attempts: 4, initialMs: 500 }); // [0, 500, 1000, 2000]
 * ```
 */
export function exponentialSchedule(options: ExponentialScheduleOptions): number[] {
  const { attempts, initialMs = 1000, factor = 2, maxMs = Number.POSITIVE_INFINITY } = options;
  if (!Number.isSafeInteger(attempts) || attempts < 1)
    throw new TypeError('attempts option must be a positive integer');
  if (!Number.isFinite(initialMs) || initialMs < 0)
    throw new TypeError('initialMs option must be a nonnegative number');
  if (!Number.isFinite(factor) || factor < 1)
    throw new TypeError('factor option must be a number of at least 1');
  if (!(maxMs >= 0)) throw new TypeError('maxMs option must be a nonnegative number');
  const schedule = [0];
  for (let i = 1; i < attempts; i++) schedule.push(Math.min(maxMs, initialMs * factor ** (i - 1)));
  return schedule;
}

/**
 * Spreads a delay by ±`jitter` (a fraction) so that many senders retrying after one outage
 * do not all come back in the same second.
 */
export function withJitter(
  delayMs: number,
  jitter: number,
  random: () => number = Math.random,
): number {
  if (delayMs <= 0 || jitter <= 0) return delayMs;
  return Math.max(0, Math.round(delayMs * (1 + (random() * 2 - 1) * jitter)));
}

/**
 * Reads `Retry-After` as delta seconds or an HTTP date, in milliseconds from now.
 * Unreadable values read as `undefined` (ignored), never as "retry now".
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
