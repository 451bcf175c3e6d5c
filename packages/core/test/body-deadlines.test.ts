// The shared body timer (src/node/body-deadlines.ts) through readNodeBody, with real time:
// every stalled read still times out on its own deadline, and finished reads never do. Then
// its list directly, where readNodeBody's own guard (a read finishes once) cannot hide a
// broken unlink: a removed read must never expire, and every other one must.

import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { readNodeBody } from '@trax-webhooks/core/node';
import { describe, expect, it } from 'vitest';
import { BodyDeadlines } from '../src/node/body-deadlines.js';

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

describe('the list of reads behind the shared timer', () => {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Reads named by letter, each recording its name when it expires. */
  function reads(deadlines: BodyDeadlines, names: string, expired: string[]) {
    return Object.fromEntries(
      [...names].map((name) => [name, deadlines.add(() => expired.push(name))]),
    );
  }

  it('expires exactly the reads not removed: first, middle, last, twice, and after expiry', async () => {
    const deadlines = new BodyDeadlines(30);
    const expired: string[] = [];
    const read = reads(deadlines, 'abcde', expired);
    deadlines.remove(read.b!);
    deadlines.remove(read.a!);
    deadlines.remove(read.e!);
    deadlines.remove(read.b!); // twice: must not unlink its old neighbours again
    await wait(80);
    expect(expired).toEqual(['c', 'd']);
    deadlines.remove(read.c!); // after it expired
    const later = reads(deadlines, 'fgh', expired);
    deadlines.remove(later.g!);
    await wait(80);
    expect(expired).toEqual(['c', 'd', 'f', 'h']);
  });

  it('lets an expiry remove a later read, which then never expires', async () => {
    const deadlines = new BodyDeadlines(30);
    const expired: string[] = [];
    let second: ReturnType<BodyDeadlines['add']> | undefined;
    deadlines.add(() => {
      expired.push('first');
      deadlines.remove(second!);
    });
    second = deadlines.add(() => expired.push('second'));
    deadlines.add(() => expired.push('third'));
    await wait(80);
    expect(expired).toEqual(['first', 'third']);
  });

  it('times a read that an expiry started, at its own deadline', async () => {
    const deadlines = new BodyDeadlines(40);
    const started = performance.now();
    const ended: number[] = [];
    deadlines.add(() => {
      ended.push(performance.now() - started);
      deadlines.add(() => ended.push(performance.now() - started));
    });
    await wait(140);
    expect(ended).toHaveLength(2);
    expect(ended[0]).toBeGreaterThanOrEqual(38);
    expect(ended[1]! - ended[0]!).toBeGreaterThanOrEqual(38);
  });
});
