// What every bench script shares around its measurements: the median it reports, the load
// line it prints (the machine is shared, so each run says how busy it was), and where it
// keeps its raw results.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The 1, 5 and 15-minute load averages, as printed: `1.08 0.38 0.14`. */
export function loadAverages() {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Writes `data` (with the date and Node version) to `bench/.results/<name>.json`. */
export function writeResults(name, data) {
  mkdirSync(new URL('../.results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`../.results/${name}.json`, import.meta.url),
    JSON.stringify({ date: new Date().toISOString(), node: process.version, ...data }, null, 2),
  );
}

/**
 * One row of the summary table at the top of BENCHMARKS.md. `measured` is a ratio (the median
 * of the per-round ratios); `op` and `limit` say what meets the goal. Benches put these in
 * `goals` of their results file; `summary.mjs` reads every results file and writes the table.
 */
export function goal({ comparison, op, limit, measured, detail }) {
  const met = op === '<=' ? measured <= limit : op === '<' ? measured < limit : measured >= limit;
  return {
    comparison,
    goal: `${op === '<=' ? '≤' : op === '<' ? '<' : '≥'} ${limit.toFixed(2)}×`,
    op,
    limit,
    measured,
    met,
    detail,
  };
}
