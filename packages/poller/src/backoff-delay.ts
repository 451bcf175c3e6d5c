/**
 * How long to wait after `failures` failures in a row: the interval doubled per failure, capped
 * at `maxMs`, with "equal jitter" (half fixed, half random) so that studios failing together do
 * not retry together. Never shorter than the interval: an error never makes polling faster.
 */
export function backoffDelay(
  failures: number,
  intervalMs: number,
  maxMs: number,
  random: () => number,
): number {
  const cap = Math.max(intervalMs, Math.min(maxMs, intervalMs * 2 ** Math.min(failures, 30)));
  return Math.max(intervalMs, cap / 2 + (random() * cap) / 2);
}

/** The interval with `jitter` (a fraction) either way, so studios drift apart instead of bunching. */
export function jitteredInterval(intervalMs: number, jitter: number, random: () => number): number {
  return intervalMs * (1 + jitter * (2 * random() - 1));
}
