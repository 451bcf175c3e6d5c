// The shared body timer (src/node/body-deadlines.ts) through readNodeBody, with real time:
// every stalled read still times out on its own deadline, and finished reads never do.

import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { readNodeBody } from '@trax-webhooks/core/node';
import { describe, expect, it } from 'vitest';

function stalled(): IncomingMessage {
  const stream = new PassThrough() as unknown as IncomingMessage;
  (stream as { headers: object }).headers = {};
  return stream;
}

describe('body deadlines shared by every read of one time limit', () => {
  it('times out each stalled read at its own deadline, in the order they started', async () => {
    const started = performance.now();
    const ended: number[] = [];
    const reads = [0, 30, 60].map(
      (delay) =>
        new Promise<string>((resolve) => {
          setTimeout(() => {
            readNodeBody(stalled(), { limit: 100, timeoutMs: 120 }).then((read) => {
              ended.push(performance.now() - started - delay);
              resolve(read.outcome);
            });
          }, delay);
        }),
    );
    expect(await Promise.all(reads)).toEqual(['timed-out', 'timed-out', 'timed-out']);
    // Each read waited its own 120 ms (not less: a shared timer must not cut one short).
    for (const waited of ended) expect(waited).toBeGreaterThanOrEqual(115);
  });

  it('never times out a read that finished, while a later one still does', async () => {
    const done = stalled();
    const first = readNodeBody(done, { limit: 100, timeoutMs: 80 });
    (done as unknown as PassThrough).end('{"ok":true}');
    const second = readNodeBody(stalled(), { limit: 100, timeoutMs: 80 });
    expect((await first).outcome).toBe('read');
    expect((await second).outcome).toBe('timed-out');
  });

  it('times out the reads around ones that finished first, last and in the middle', async () => {
    const streams = [stalled(), stalled(), stalled(), stalled(), stalled()];
    const reads = streams.map((stream) => readNodeBody(stream, { limit: 100, timeoutMs: 60 }));
    // The newest, then one in the middle, then the oldest finish: each leaves the list whole.
    for (const i of [4, 2, 0]) (streams[i] as unknown as PassThrough).end('{}');
    const outcomes = (await Promise.all(reads)).map((read) => read.outcome);
    expect(outcomes).toEqual(['read', 'timed-out', 'read', 'timed-out', 'read']);
    // And the reads that come after the sweep emptied it are still timed.
    const later = readNodeBody(stalled(), { limit: 100, timeoutMs: 60 });
    expect((await later).outcome).toBe('timed-out');
  });

  it('keeps reads of different time limits apart', async () => {
    const started = performance.now();
    const short = readNodeBody(stalled(), { limit: 100, timeoutMs: 40 }).then(
      () => performance.now() - started,
    );
    const long = readNodeBody(stalled(), { limit: 100, timeoutMs: 160 }).then(
      () => performance.now() - started,
    );
    const [shortMs, longMs] = await Promise.all([short, long]);
    expect(shortMs).toBeLessThan(150);
    expect(longMs).toBeGreaterThanOrEqual(155);
  });
});
