// Measures the bench's child processes share.
import { setTimeout as sleep } from 'node:timers/promises';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

/** Heap in use after full collections (three, with pauses, so finalisers and weak refs settle). */
export async function heapAfterGc() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
}

/** The most entries of `times` (sorted, ms) within any 1 s window. */
export function busiestSecond(times) {
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
