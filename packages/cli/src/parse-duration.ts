import { UsageError } from './usage-error.js';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Reads a duration such as `500ms`, `15s`, `2m`, `1.5h`; a bare number is milliseconds.
 *
 * Hand-rolled rather than the `ms` package on purpose: `ms` also accepts `"1 year"` or
 * `"2 days"` and answers `undefined` for a typo, while a flag needs four units and an error
 * that names it.
 *
 * @example
 * ```ts
 * parseDuration('15s', '--interval'); // 15000
 * ```
 * @throws {UsageError} naming `flag`
 */
export function parseDuration(text: string, flag: string): number {
  if (/^\s*-/.test(text))
    throw new UsageError(`${flag} must not be negative; give a duration such as 500ms, 15s or 2m`);
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!match)
    throw new UsageError(
      `${flag} must be a duration such as 500ms, 15s, 2m or 1h (a bare number is milliseconds)`,
    );
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']!);
}

/** Reads a comma-separated list of durations, e.g. `0,1s,5s`. */
export function parseSchedule(text: string, flag: string): number[] {
  const parts = text.split(',').filter((part) => part.trim() !== '');
  if (parts.length === 0)
    throw new UsageError(`${flag} must list at least one delay, e.g. 0,1s,5s`);
  return parts.map((part) => parseDuration(part, flag));
}

/** Formats milliseconds for people: `850ms`, `5s`, `2m 30s`, `1h 5m`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1_000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
}
